"""Where tracking events come from: one module per source behind one small interface."""
