"""`cms import-shopify`: a Shopify product CSV export into the content model (docs/shopify-import.md)."""
