"""Load accounts, invoices and partners from a YAML or JSON file into DynamoDB."""
