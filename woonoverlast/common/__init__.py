"""The shared layer: what several apps use (the clock, error collection, form and filter
fields, pagination, spreadsheets, the calendar). It imports no app of the project; an import
contract in pyproject.toml ([tool.importlinter]) checks that in `make lint`."""
