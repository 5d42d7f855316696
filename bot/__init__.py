"""The bot process: settings, composition root, middlewares, command line."""
