"""Commerce: variants' prices computed in one place (`prices.py`) and the price feed read from what delivery serves."""
