"""Commerce: stock as operational data (the inventory API, availability computed at request time), variants' prices
computed in one place (`prices.py`) and the price feed read from what delivery serves."""
