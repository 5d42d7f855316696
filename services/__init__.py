"""Domain services: rules, access checks and arithmetic. They know nothing of Telegram."""
