"""Small helpers shared across capabilities."""
