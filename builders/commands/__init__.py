"""The command layer: the only code that parses arguments and prints (``misi-bench``, see ``main``)."""
