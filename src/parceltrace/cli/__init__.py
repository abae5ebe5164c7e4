"""The `parceltrace` command (Typer + Rich): `main` is the server's and the operator's
commands, `client` the SDK's, `connectors` the carrier connectors'; `common` what they share."""
