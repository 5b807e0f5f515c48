"""Business rules as pure functions: no boto3, no HTTP, no clock (callers pass ``today``/``now``)."""
