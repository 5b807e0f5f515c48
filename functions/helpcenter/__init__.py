"""Code shared by the help center's Lambda functions.

``rules`` holds the business rules as pure functions (no I/O, no clock); ``domain`` the records they
work on; ``store`` is the one package that talks to DynamoDB; ``api`` builds the Powertools resolver
every HTTP function uses.
"""
