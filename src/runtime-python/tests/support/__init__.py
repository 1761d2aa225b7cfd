# Why: helpers the pytest suite shares: the real local Batch service, a loopback callback server, the workload package, workload processes.
