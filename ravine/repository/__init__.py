"""The repository layer: the only code that writes SQL. Functions take a Session, never commit."""
