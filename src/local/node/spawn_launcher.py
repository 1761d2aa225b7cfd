# Why: the local service's task launcher on Linux where Python 3.9+ is found: it starts task processes more cheaply than Node and measures each one exactly (wait4's rusage, /proc/<pid>/io read before the exit is reaped), which Node cannot do.
"""One long-lived process per local service, started by SpawnLauncher (spawnLauncher.ts); spawnLauncherMain.ts is its Node twin.

Protocol (spawnLauncherProtocol.ts): one JSON object per line.
  stdin   {"type": "spawn", "id", "argv", "cwd", "env", "stdoutFile", "stderrFile", "uid"?, "gid"?, "makeDirs"?}
  stdout  {"type": "ready"} first, then per request "spawned" (id, pid) or "failed" (id, code, message, folders?), and "exit"
          (id, code, signal, figures) once the task process has exited; "lost" (id) when the process that ran it died.
End of stdin means the service is gone: every process group started here gets SIGTERM, what is left after the grace
SIGKILL, and the launcher exits. Task processes never inherit its signal handlers, descriptors or ignored signals.

Tasks of another account (uid/gid, when the service runs as root) are started by an account launcher: a fork of this
one that dropped to that account for good and serves the same protocol over a socket. Changing user at each spawn
would rule out vfork and cost a full fork per task; the account launcher also holds no root rights.
"""

import errno
import json
import os

# os.wait4 imports it on first use: an account launcher may no longer be able to read the standard library by then
import resource  # noqa: F401
import select
import selectors
import signal
import socket
import subprocess
import sys
import time

if sys.version_info < (3, 9) or not sys.platform.startswith("linux"):
    sys.stderr.write(f"needs Python 3.9 or later on Linux; this is Python {sys.version.split()[0]} on {sys.platform}\n")
    sys.exit(3)

GRACE_SECONDS = int(os.environ.get("BATCH_MANAGER_LAUNCHER_GRACE_MS", "5000")) / 1000
# account launchers per account at most: a spawn blocks its launcher until the task's exec (vfork), so under load a
# second one takes the next request instead of queueing it (one per core, up to 4)
MAX_ACCOUNT_LANES = max(1, min(4, os.cpu_count() or 1))
PR_SET_DUMPABLE = 4
IO_FIELDS = {b"rchar": "readBytes", b"wchar": "writeBytes", b"syscr": "readOps", b"syscw": "writeOps"}


class ServiceGone(Exception):
    """The input ended or the output is closed: nobody is left to report to."""


def open_output(file):
    return os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)


class FolderError(Exception):
    """A folder of makeDirs could not be made: (code, message) for the "failed" reply."""


def make_folders(folders, owner=None):
    """Makes each folder (its parents first where missing, those left to this process's user), given to owner (uid, gid); one that exists is left as it is."""
    for folder in folders:
        try:
            try:
                os.mkdir(folder)
            except FileExistsError:
                continue
            except FileNotFoundError:
                # the job's first task on this node: its folder first
                os.makedirs(folder)
            if owner is not None:
                os.chown(folder, *owner)
        except OSError as error:
            code = errno.errorcode.get(error.errno or 0, "EIO")
            raise FolderError(code, f"{folder}: {code}") from error


def own_io():
    """This process's /proc/self/io (with that of every child it reaped) and the bytes that one read(2) took; None where unreadable."""
    try:
        fd = os.open("/proc/self/io", os.O_RDONLY | os.O_CLOEXEC)
        try:
            data = os.read(fd, 4096)
        finally:
            os.close(fd)
        values = dict(line.split(b": ", 1) for line in data.splitlines())
        return {key: int(values[name]) for name, key in IO_FIELDS.items()}, len(data)
    except (OSError, ValueError, KeyError):
        return None


def exit_of(status):
    """(code, signal name) as Node reports an exit: a signal without a name gets the shell's code 128 + N."""
    code = os.waitstatus_to_exitcode(status)
    if code >= 0:
        return code, None
    try:
        return None, signal.Signals(-code).name
    except ValueError:
        return 128 - code, None


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except PermissionError:
        return True
    except OSError:
        return False


def signal_groups(pgids, signum):
    for pgid in pgids:
        try:
            os.killpg(pgid, signum)
        except OSError:
            pass


class AccountLauncher:
    """An account launcher as its parent sees it: the fork's pid, its channel, the start of a reply not read whole yet
    and how many of the requests sent to it have not been answered "spawned" or "failed" yet.

    key is (uid, gid, lane): an account may have several (lanes), each a fork of its own.
    """

    def __init__(self, key, pid, channel):
        self.key = key
        self.pid = pid
        self.channel = channel
        self.pending = b""
        self.starting = 0


class Launcher:
    def __init__(self, input_fd, output_fd):
        self.input_fd = input_fd
        self.output_fd = output_fd
        # pid of every group leader started here and not yet reaped -> (request id, its Popen)
        self.running = {}
        # (uid, gid, lane) -> that account launcher
        self.accounts = {}
        # pids of account launchers not reaped yet
        self.forks = set()
        # request id -> key of the account launcher it went to, until its exit or failure came back
        self.delegated = {}
        self.selector = selectors.DefaultSelector()
        self.wake_fds = ()
        # replies not written yet (flush)
        self.outbox = []

    def reply(self, message):
        self.outbox.append(json.dumps(message, separators=(",", ":")).encode())

    def flush(self):
        """Writes the replies gathered in one turn of the loop, in one write where they fit."""
        if not self.outbox:
            return
        data = b"\n".join(self.outbox) + b"\n"
        self.outbox.clear()
        try:
            while data:
                try:
                    data = data[os.write(self.output_fd, data) :]
                except BlockingIOError:
                    # an account launcher's channel is its input too, which is non-blocking: wait until it drains
                    select.select([], [self.output_fd], [])
        except (BrokenPipeError, ConnectionResetError) as error:
            raise ServiceGone() from error

    def handle(self, line):
        message = json.loads(line)
        if message.get("type") != "spawn":
            return
        own = (os.geteuid(), os.getegid())
        uid, gid = message.get("uid"), message.get("gid")
        wanted = (own[0] if uid is None else uid, own[1] if gid is None else gid)
        if wanted == own or own[0] != 0:
            # not root: asking for another account fails here as Node's spawn would (EPERM)
            self.launch(message, change_user=wanted != own)
            return
        folders = message.get("makeDirs") or []
        if folders:
            # the task directory is made and given away here, as root; the account launcher makes what is inside as itself
            try:
                make_folders(folders[:1], wanted)
            except FolderError as error:
                self.reply({"type": "failed", "id": message["id"], "code": error.args[0], "message": error.args[1], "folders": True})
                return
        for _ in range(2):
            account = self.account(*wanted)
            self.delegated[message["id"]] = account.key
            try:
                # as it came: the account launcher runs as that uid/gid already
                account.channel.sendall(line + b"\n")
                account.starting += 1
                return
            except OSError:
                # it died under us: a new one takes this request; what it had already taken is lost
                self.delegated.pop(message["id"], None)
                self.account_gone(account, report=True)
        self.delegated.pop(message["id"], None)
        self.reply({"type": "failed", "id": message["id"], "code": "EAGAIN", "message": "the account launcher cannot be started"})

    def launch(self, request, change_user):
        """Starts one task process as a session and group leader, stdout/stderr into its files (truncated first)."""
        request_id = request["id"]
        argv = request["argv"]
        identity = {}
        # as Node's spawn does when it changes user: no supplementary groups of the launcher's
        if change_user and request.get("gid") is not None:
            identity.update(group=request["gid"], extra_groups=[])
        if change_user and request.get("uid") is not None:
            identity.update(user=request["uid"], extra_groups=[])
        try:
            owner = tuple(-1 if request.get(key) is None else request[key] for key in ("uid", "gid"))
            make_folders(request.get("makeDirs") or [], owner if change_user else None)
        except FolderError as error:
            self.reply({"type": "failed", "id": request_id, "code": error.args[0], "message": error.args[1], "folders": True})
            return
        try:
            out = open_output(request["stdoutFile"])
            try:
                err = open_output(request["stderrFile"])
                try:
                    child = subprocess.Popen(
                        argv,
                        cwd=request["cwd"],
                        env=request["env"],
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=err,
                        close_fds=True,
                        start_new_session=True,
                        **identity,
                    )
                finally:
                    os.close(err)
            finally:
                os.close(out)
        except OSError as error:
            code = errno.errorcode.get(error.errno or 0, "EIO")
            self.reply({"type": "failed", "id": request_id, "code": code, "message": f"spawn {argv[0] if argv else ''} {code}"})
            return
        except (ValueError, TypeError, IndexError) as error:
            # e.g. a NUL byte in an argument or variable: the kernel could never take it
            self.reply({"type": "failed", "id": request_id, "code": "EINVAL", "message": str(error)})
            return
        self.running[child.pid] = (request_id, child)
        self.reply({"type": "spawned", "id": request_id, "pid": child.pid})

    def account(self, uid, gid):
        """An account launcher of uid/gid for the next request: the first that is not starting a task, else a new one
        (forked: it drops to that account and serves over a socket) while there are fewer than MAX_ACCOUNT_LANES, else
        the one with the fewest requests in progress."""
        lanes = [self.accounts.get((uid, gid, lane)) for lane in range(MAX_ACCOUNT_LANES)]
        idle = next((account for account in lanes if account and account.starting == 0), None)
        if idle:
            return idle
        free = next((lane for lane, account in enumerate(lanes) if account is None), None)
        if free is None:
            return min(lanes, key=lambda account: account.starting)
        key = (uid, gid, free)
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            self.become_account_launcher(theirs, uid, gid)
        theirs.close()
        self.forks.add(pid)
        account = self.accounts[key] = AccountLauncher(key, pid, ours)
        self.selector.register(ours, selectors.EVENT_READ, account)
        return account

    def become_account_launcher(self, channel, uid, gid):
        """In the fork: nothing of this launcher's but the channel and stderr, then the account, for good. Never returns."""
        status = 0
        try:
            null = os.open(os.devnull, os.O_RDWR)
            # the service sees this launcher's end by its stdout closing: a fork must not hold it open
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.close(null)
            self.selector.close()
            for fd in self.wake_fds:
                os.close(fd)
            for other in self.accounts.values():
                other.channel.close()
            # loaded now: the standard library may be out of the account's reach
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            # changing user made it non-dumpable, which hides its own /proc/self/io (the tasks' I/O) from it; what a
            # task of the account could do to it by ptrace, the root launcher checks (relay: "spawned" pids)
            libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
            Launcher(channel.fileno(), channel.fileno()).run()
        except SystemExit as done:
            status = done.code if isinstance(done.code, int) else 0
        except BaseException as error:
            sys.stderr.write(f"account launcher {uid}:{gid}: {error!r}\n")
            status = 70
        finally:
            os._exit(status)

    def relay(self, account, blocking=True):
        """Passes an account launcher's replies on (not its ready); False once nothing more can be read."""
        try:
            chunk = account.channel.recv(1 << 16, 0 if blocking else socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            chunk = b""
        if not chunk:
            self.account_gone(account, report=True)
            return False
        *lines, account.pending = (account.pending + chunk).split(b"\n")
        for line in lines:
            if not line.strip():
                continue
            message = json.loads(line)
            kind = message.get("type")
            if kind == "ready":
                continue
            if kind == "spawned" and not self.is_task_of(account, message.get("pid")):
                # only a compromised account launcher says this: it must not make the service signal another group
                os.kill(account.pid, signal.SIGKILL)
                kind = "failed"
                line = json.dumps({"type": kind, "id": message.get("id"), "code": "EPERM", "message": "the account launcher reported a process that is not its task"}).encode()
            if kind in ("spawned", "failed"):
                account.starting = max(0, account.starting - 1)
            if kind in ("exit", "failed"):
                self.delegated.pop(message.get("id"), None)
            self.outbox.append(line)
        return True

    def is_task_of(self, account, pid):
        """Whether pid leads its own group as a child of the account launcher, as that account (or is gone already)."""
        if not isinstance(pid, int) or pid <= 1:
            return False
        try:
            # /proc/<pid> belongs to the process's effective user
            uid = os.stat(f"/proc/{pid}").st_uid
            with open(f"/proc/{pid}/stat") as stat:
                text = stat.read()
        except OSError:
            return not os.path.exists(f"/proc/{pid}")
        fields = text[text.rindex(")") + 2 :].split()
        # being reaped by the account launcher right now: its parent and group are already cleared (ppid 0)
        if fields[0] in ("X", "Z") and fields[1] == "0":
            return True
        return int(fields[1]) == account.pid and int(fields[2]) == pid and uid == account.key[0]

    def account_gone(self, account, report):
        """An account launcher closed its channel or died: whatever it had not answered for is lost (the service requeues it)."""
        if self.accounts.get(account.key) is account:
            del self.accounts[account.key]
        if account.channel.fileno() >= 0:
            self.selector.unregister(account.channel)
            account.channel.close()
        for request_id in [request_id for request_id, key in self.delegated.items() if key == account.key]:
            del self.delegated[request_id]
            if report:
                self.reply({"type": "lost", "id": request_id})

    def reap(self, report=True):
        """Reaps every exited child; for a task, reports its exit and figures.

        The kernel adds a child's I/O (with that of the children it reaped) to its parent's when the parent reaps it, so
        a task's I/O is this process's /proc/self/io just after its wait4 less just before, less that earlier read's own
        bytes and read call. Nothing else may read or write meanwhile: SIGCHLD (whose handler writes to the wake-up pipe)
        is held, and replies go out afterwards.
        """
        reaped = []
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        try:
            before = own_io()
            while True:
                try:
                    pid, status, usage = os.wait4(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                after = own_io() if before else None
                io = None
                if before and after:
                    io = {key: after[0][key] - before[0][key] for key in IO_FIELDS.values()}
                    io["readBytes"] -= before[1]
                    io["readOps"] -= 1
                reaped.append((pid, status, usage, io))
                before = after
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        for pid, status, usage, io in reaped:
            entry = self.running.pop(pid, None)
            if entry is None:
                self.forks.discard(pid)
                self.account_exited(pid, report)
                continue
            request_id, child = entry
            # the Popen object must not wait for it again
            child.returncode = os.waitstatus_to_exitcode(status)
            code, signal_name = exit_of(status)
            figures = None if io is None else {"userMs": usage.ru_utime * 1000, "kernelMs": usage.ru_stime * 1000, **io}
            if report:
                self.reply({"type": "exit", "id": request_id, "code": code, "signal": signal_name, "figures": figures})

    def account_exited(self, pid, report):
        """A reaped account launcher: what it still wrote is passed on first."""
        account = next((account for account in self.accounts.values() if account.pid == pid), None)
        if account is None:
            return
        while report and account.channel.fileno() >= 0 and self.relay(account, blocking=False):
            pass
        self.account_gone(account, report)

    def run(self):
        try:
            self.serve()
        except ServiceGone:
            self.shutdown()

    def serve(self):
        # Ctrl-C in a terminal reaches the whole foreground group: the service decides what to stop, then closes stdin
        signal.signal(signal.SIGINT, lambda *_: None)
        wake_read, wake_write = self.wake_fds = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        os.set_blocking(self.input_fd, False)
        self.selector.register(self.input_fd, selectors.EVENT_READ, "input")
        self.selector.register(wake_read, selectors.EVENT_READ, "children")
        self.reply({"type": "ready"})
        self.flush()
        pending = b""
        while True:
            for key, _ in self.selector.select():
                if key.data == "children":
                    drain(wake_read)
                    self.reap()
                elif isinstance(key.data, AccountLauncher):
                    self.relay(key.data)
                else:
                    try:
                        chunk = os.read(self.input_fd, 1 << 16)
                    except BlockingIOError:
                        continue
                    if not chunk:
                        raise ServiceGone()
                    *lines, pending = (pending + chunk).split(b"\n")
                    for line in lines:
                        if line.strip():
                            self.handle(line)
            self.flush()

    def shutdown(self):
        """The service is gone: no task process may outlive it; account launchers do the same for theirs, then exit."""
        for account in self.accounts.values():
            try:
                account.channel.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        pgids = list(self.running)
        signal_groups(pgids, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        killed = False
        while True:
            self.reap(report=False)
            left = [pgid for pgid in pgids if group_alive(pgid)]
            now = time.monotonic()
            if left and not killed and now >= deadline:
                signal_groups(left, signal.SIGKILL)
                killed = True
            if (not left and not self.forks) or now >= deadline + 2:
                break
            time.sleep(0.05)
        sys.exit(0)


def drain(fd):
    while True:
        try:
            if not os.read(fd, 4096):
                return
        except BlockingIOError:
            return


if __name__ == "__main__":
    Launcher(0, 1).run()
