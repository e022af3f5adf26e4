"""Reading and checking CSV and JSON Lines imports, row by row, before anything is stored."""
