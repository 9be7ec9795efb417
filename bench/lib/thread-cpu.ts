// CPU time of threads, from /proc (Linux): what bench:e2e samples for every thread of the wirewatch process,
// bench:pool-cpu for its own threads and bench:article-path for its own main thread.
import fs from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

/** utime + stime of thread `tid` of process `pid`, in seconds. Throws when the thread is gone. */
export function threadCpuS(pid: number, tid: number): number {
  // Fields after "(comm) ": state is [0], utime [11], stime [12].
  const f = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS_PER_S;
}

/** CPU seconds (user + system) so far of each live thread of `pid`, by thread id. Threads that exited are gone. */
export function threadsCpuS(pid: number): Map<number, number> {
  const use = new Map<number, number>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return use;
  }
  for (const tid of tids) {
    try {
      use.set(Number(tid), threadCpuS(pid, Number(tid)));
    } catch {
      // The thread exited between readdir and read.
    }
  }
  return use;
}
