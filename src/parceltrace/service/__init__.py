"""Service functions: the API's and CLI's operations, composed of pure rules and store calls."""
