#!/usr/bin/env bash
# A real one-node Slurm for the cluster tests (Debian's slurm-wlm 22.05 and munge, run as root).
#   one-node-slurm.sh start STATE_DIR   writes STATE_DIR/slurm.conf for this host (2 CPUs, the host's
#                                       short name as node, no accounting), starts munged (its own
#                                       key and socket), slurmctld and slurmd; waits until the node is
#                                       idle. Commands then need SLURM_CONF=STATE_DIR/slurm.conf.
#   one-node-slurm.sh stop STATE_DIR    stops the three daemons it started (by their pid files).
# Any failure prints one line saying exactly what could not start (and the daemon's log tail) and
# exits non-zero; the test reports it and fails (it never skips).
set -uo pipefail
cmd=${1:-}; state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }
state=$(realpath -m "$state")

die() { echo "one-node slurm: $*" >&2; exit 1; }
# kill by pid file, then wait (up to 10 s) until the daemon is gone: slurmctld writes its state files
# while it shuts down, and a caller removing STATE_DIR right after must not race it.
stop_pid() {
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1")
  kill "$pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
  rm -f "$1"
}

if [ "$cmd" = stop ]; then
  stop_pid "$state/slurmd.pid"; stop_pid "$state/slurmctld.pid"; stop_pid "$state/munged.pid"
  exit 0
fi
[ "$cmd" = start ] || die "unknown command '$cmd'"
[ "$(id -u)" = 0 ] || die "must run as root (slurmd needs it); running as $(id -un)"
for b in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v "$b" >/dev/null || die "'$b' is not installed (apt-get install slurm-wlm munge)"
done
host=$(hostname -s)
mkdir -p "$state/ctld" "$state/spool" "$state/munge" && chmod 700 "$state/munge" || die "cannot create $state"
# munged: its own key and socket, so a system munged (or none) does not matter.
if [ ! -f "$state/munge/munge.key" ]; then
  head -c 1024 /dev/urandom > "$state/munge/munge.key" && chmod 400 "$state/munge/munge.key"
fi
munged --force --key-file="$state/munge/munge.key" --socket="$state/munge/munge.socket" \
  --pid-file="$state/munged.pid" --log-file="$state/munge/munged.log" --seed-file="$state/munge/munged.seed" \
  >"$state/munge/start.out" 2>&1 || die "munged did not start: $(tail -n 3 "$state/munge/start.out" "$state/munge/munged.log" 2>/dev/null | tr '\n' ' ')"

# ports of this instance (not the defaults 6817/6818, so a system Slurm or another test run does not clash)
port=$((20000 + $$ % 20000))
mem=$(awk '/MemTotal/ {print int($2/1024*0.8)}' /proc/meminfo)
cat > "$state/slurm.conf" <<CONF
ClusterName=labtest
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$state/munge/munge.socket
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=300
SlurmctldTimeout=30
SlurmdTimeout=30
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$state/slurm.conf"
slurmctld -f "$SLURM_CONF" -i >"$state/slurmctld.out" 2>&1 || die "slurmctld did not start: $(tail -n 3 "$state/slurmctld.out" "$state/slurmctld.log" 2>/dev/null | tr '\n' ' ')"
slurmd -f "$SLURM_CONF" >"$state/slurmd.out" 2>&1 || die "slurmd did not start: $(tail -n 3 "$state/slurmd.out" "$state/slurmd.log" 2>/dev/null | tr '\n' ' ')"
for _ in $(seq 1 60); do
  st=$(sinfo -h -n "$host" -o %T 2>/dev/null)
  case "$st" in idle*|mixed*|allocated*) echo "one-node slurm: node $host $st; SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
  sleep 0.5
done
die "node $host did not become idle within 30 s (sinfo: '${st:-no answer}'); slurmctld log: $(tail -n 3 "$state/slurmctld.log" 2>/dev/null | tr '\n' ' ') slurmd log: $(tail -n 3 "$state/slurmd.log" 2>/dev/null | tr '\n' ' ')"
