"""Publishing: resolve an entry version per channel and locale into delivery documents, and store them."""
