#!/usr/bin/env python3
"""Reads a dotnet-trace thread-time sample (Speedscope JSON) and prints thread time per call: inclusive by frame, then
exclusive. Samples of threads parked in a wait (idle thread-pool workers, the socket event loop, timers) are left out,
so what remains is time threads spent working or blocked on a lock. Native code shows as UNMANAGED_CODE_TIME under the
managed frame that called it (SQLite's C code, socket writes).
Usage: top_costs.py trace.speedscope.json <calls during the trace> [rows] [frame regex: only time under that frame]"""
import collections
import json
import re
import sys

trace, calls = json.load(open(sys.argv[1])), float(sys.argv[2])
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 40
under = re.compile(sys.argv[4]) if len(sys.argv) > 4 else None
frames = [f['name'] for f in trace['shared']['frames']]
parked = re.compile(r'LowLevelLifoSemaphore\.Wait|SocketAsyncEngine\.EventLoop|Monitor\.Wait\b|WaitHandle\.Wait|WaitOneNoCheck'
                    r'|ManualResetEventSlim\.Wait|TimerQueue\.TimerThread|FileSystemWatcher|Thread\.Sleep|ProcessLogQueue|TryDequeue')
pseudo = {'CPU_TIME', 'UNMANAGED_CODE_TIME'}
structural = re.compile(r'^(Threads|Process64 .*|Thread .*|\s*|System\.Private\.CoreLib!System\.Threading\.Thread\.StartCallback)$')
inclusive, exclusive, working, idle = collections.Counter(), collections.Counter(), 0.0, 0.0
for profile in trace['profiles']:
    stack, last = [], profile['startValue']
    for event in profile['events']:
        elapsed, last = event['at'] - last, event['at']
        if elapsed > 0 and stack:
            names = [frames[f] for f in stack]
            if under is not None:
                below = next((i for i, n in enumerate(names) if under.search(n)), None)
                names = names[below:] if below is not None else []
            if not names:
                continue
            if names[-1] == 'UNMANAGED_CODE_TIME' and any(parked.search(n) for n in names[-4:]):
                idle += elapsed
            else:
                working += elapsed
                exclusive[(names[-2] if names[-1] in pseudo and len(names) > 1 else names[-1], names[-1])] += elapsed
                for name in set(names) - pseudo:
                    if not structural.match(name):
                        inclusive[name] += elapsed
        if event['type'] == 'O':
            stack.append(event['frame'])
        else:
            stack.pop()

def short(name):
    return re.sub(r'\(.*', '', name).replace('System.__Canon', '_')[-140:]

print(f'{working * 1000 / calls:.1f} µs of working thread time per call ({calls:,.0f} calls sampled; parked threads left out)')
print('inclusive µs/call  share  frame')
for name, ms in inclusive.most_common(rows):
    print(f'{ms * 1000 / calls:10.2f} {ms / working * 100:6.1f}%  {short(name)}')
print('exclusive µs/call  share  frame [managed or native]')
for (name, leaf), ms in exclusive.most_common(20):
    print(f'{ms * 1000 / calls:10.2f} {ms / working * 100:6.1f}%  {short(name)} [{"native" if leaf == "UNMANAGED_CODE_TIME" else "managed"}]')
