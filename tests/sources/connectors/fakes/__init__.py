"""One module per carrier: answers in the carrier's documented format (written from its public
API documentation), for the scenarios every connector is tested with."""
