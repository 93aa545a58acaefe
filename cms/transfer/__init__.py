"""Data in and out: the NDJSON export of a whole site (`cms export`) and its import (`cms import`)."""
