"""Who asks: the command line, text and figure renderers, comparisons, the Voila app."""
