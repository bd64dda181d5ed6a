"""The populations of the model: employees, leaders (arrays + Mesa views) and customers (arrays only)."""
