"""Pure analysis functions on DataFrames and plain values: no database, no streamlit."""
