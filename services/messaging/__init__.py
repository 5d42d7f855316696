"""The bot as a relay between school and home: /write conversations (relay), /broadcast announcements
(broadcasts), and a parent's answer to an absence notice (absence_answers).

Nobody learns anybody's Telegram identity: a relayed copy names the sender only as the school knows
them (the staff member's or parent's name and role). Every message goes through the outbox and is
kept (Conversation, RelayedMessage, Broadcast, BroadcastReceipt): they are school records.
"""
