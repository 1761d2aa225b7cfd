# Why: the local Batch service's documented well-known development accounts (README), used when BATCH_AUTH_MODE=local; not secrets.
LOCAL_BATCH_ACCOUNT_NAME = "localbatch"
LOCAL_BATCH_ACCOUNT_KEY = "bG9jYWwtYmF0Y2gtd2VsbC1rbm93bi1kZXZlbG9wbWVudC1hY2NvdW50LWtleS1ub3QtYS1zZWNyZXQtMDAwMQ=="
AZURITE_ACCOUNT_NAME = "devstoreaccount1"
AZURITE_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURITE_DEFAULT_BLOB_ENDPOINT = "http://127.0.0.1:10000/devstoreaccount1"
