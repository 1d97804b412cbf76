"""The one error the store raises for things a user can fix (unreachable server, bad credentials,
unusable data folder, store already in use). Its message is a single clear line."""


class StoreError(RuntimeError):
    pass
