"""The outbound side: what the bot sends on its own, rendered when it is sent.

- callbacks: the callback data of buttons under notices, reminders and reports (no router);
- render: outbox rows → messages in the recipient's language at delivery time;
- views: the texts and keyboards of reports, reminders and the class teacher's daily record;
- telegram: Telegram as the delivery worker's channel, aiogram's errors mapped to services.channel's;
- delivery: the worker (services.delivery) wired to Telegram and the renderer.
"""
