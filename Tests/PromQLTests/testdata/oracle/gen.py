import random, sys
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
sels = ['m', 'm{job="a"}', 'n', 'c', 'm{i!="1"}', 'm offset 1m', '{__name__=~"m|n", job="b"}', 'c{i="1"}', 'n offset 30s', 'm{job=~"a|b", i="2"}', 'm @ 300', 'n @ end()', 'c offset 1m @ 600']
ranges = ['1m', '2m', '5m', '150s', '10m']
rfuncs = ['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets', 'avg_over_time', 'min_over_time',
          'max_over_time', 'sum_over_time', 'count_over_time', 'last_over_time', 'present_over_time', 'stddev_over_time', 'stdvar_over_time']
ifuncs = ['abs', 'ceil', 'floor', 'sgn', 'exp', 'ln', 'sqrt', 'timestamp', 'round', 'clamp_min', 'clamp_max', 'clamp', 'absent', 'scalar_vec', 'label_replace', 'label_join']
aggs = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'quantile', 'count_values']
ops = ['+', '-', '*', '/', '%', '^', '==', '!=', '>', '<', '>=', '<=', 'and', 'or', 'unless']
def num():
    return random.choice(['1', '2', '0.5', '-3', '10', '0', '1e1'])
def vec(d):
    if d <= 0:
        return random.choice(sels)
    k = random.randrange(8)
    if k == 0: return random.choice(sels)
    if k == 1:
        f = random.choice(rfuncs)
        if random.random() < 0.2:
            return f"{f}(({vec(d-1)})[{random.choice(['3m','5m','2m'])}:{random.choice(['30s','1m','20s',''])}])"
        return f"{f}({random.choice(sels).split(' offset')[0]}[{random.choice(ranges)}])"
    if k == 2:
        f = random.choice(ifuncs)
        v = vec(d-1)
        if f == 'round': return f"round({v}, {random.choice(['1','0.3','5'])})"
        if f in ('clamp_min', 'clamp_max'): return f"{f}({v}, {num()})"
        if f == 'clamp': return f"clamp({v}, {num()}, {num()})"
        if f == 'scalar_vec': return f"vector(scalar({v}))"
        if f == 'label_replace': return f'label_replace({v}, "x", "$1", "job", "(.)")'
        if f == 'label_join': return f'label_join({v}, "x", "-", "job", "i")'
        return f"{f}({v})"
    if k == 3:
        a = random.choice(aggs)
        g = random.choice(['', ' by (job)', ' without (i)', ' by (i)', ' without (job)'])
        v = vec(d-1)
        if a == 'quantile': return f"quantile{g} ({random.choice(['0.3','0.5','1'])}, {v})"
        if a == 'count_values': return f'count_values{g} ("v", {v})'
        return f"{a}{g} ({v})"
    if k in (4, 5):
        op = random.choice(ops)
        l, r = vec(d-1), vec(d-1)
        mod = ''
        if op in ('==','!=','>','<','>=','<=') and random.random() < 0.4: mod += ' bool'
        if random.random() < 0.4:
            mod += random.choice([' on(job)', ' ignoring(i)', ' on(job, i)', ' on()', ' ignoring(job)'])
            if op not in ('and','or','unless') and random.random() < 0.3:
                mod += random.choice([' group_left', ' group_right', ' group_left(i)'])
        return f"({l} {op}{mod} {r})"
    if k == 6:
        op = random.choice(ops[:12])
        b = ' bool' if op in ('==','!=','>','<','>=','<=') and random.random() < 0.5 else ''
        if random.random() < 0.5: return f"({vec(d-1)} {op}{b} {num()})"
        return f"({num()} {op}{b} {vec(d-1)})"
    if k == 7 and random.random() < 0.5:
        return f"-{vec(d-1)}"
    extra = random.randrange(12)
    if extra == 9: return "histogram_quantile(" + random.choice(['0.5', '0.9', '0.1', '1']) + ", " + random.choice(['h_bucket', 'rate(h_bucket[5m])', 'sum by (le) (h_bucket)', 'h_bucket offset 2m']) + ")"
    if extra == 10: return "holt_winters(" + random.choice(sels).split(' offset')[0].split(' @')[0] + "[" + random.choice(ranges) + "], " + random.choice(['0.3', '0.5', '0.9']) + ", " + random.choice(['0.1', '0.5']) + ")"
    if extra == 11: return random.choice(['m{i=~"1|2", job!~"b"}', 'n offset -1m', '{__name__=~"[cm]", i!="2"}', 'm{job=~".+"} @ 450'])
    if extra == 0: return f"quantile_over_time({random.choice(['0.1','0.5','0.99'])}, {random.choice(sels).split(' offset')[0]}[{random.choice(ranges)}])"
    if extra == 1: return f"predict_linear({random.choice(sels).split(' offset')[0]}[{random.choice(ranges)}], {random.choice(['60','-30','600'])})"
    if extra == 2: return f"absent_over_time({random.choice(sels).split(' offset')[0]}[{random.choice(ranges)}])"
    if extra == 3: return random.choice(['topk','bottomk']) + "(" + random.choice(['1','2','5']) + ', n{job="a"} or m{job="a", i="1"})'
    if extra == 4: return f"{random.choice(rfuncs)}(({vec(d-1)})[{random.choice(['4m','90s'])}:{random.choice(['30s','45s','1m'])}] offset {random.choice(['30s','2m','1m30s'])})"
    if extra == 5: return f"(time() {random.choice(['+','-','*','>'])} {'bool ' if random.random()<0.5 else ''}{vec(d-1)})"
    if extra == 6: return "vector(" + random.choice(['time()', '1', 'scalar(n{job="a"})']) + ")"
    if extra == 7:
        f = random.choice(['sort','sort_desc','timestamp','last_over_time'])
        arg = random.choice(sels).split(' offset')[0] + '[3m]' if f == 'last_over_time' else vec(d-1)
        return f"{f}({arg})"
    return f"{random.choice(['day_of_week','hour','minute','month','year','days_in_month','day_of_month','day_of_year'])}({random.choice(['', vec(d-1)])})"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
print('''# Random expressions over a fixed data set, expected values from promtool 2.42
# (generated differential test: /tmp/diff/gen.py; ties and order-dependent results avoided).
load 30s
  m{job="a", i="1"} 0+3x40
  m{job="a", i="2"} 1 4 2 8 _ 9 12 stale 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 33 35 37 39 41 43 45 47 49 51 53 55 57 59 61 63
  m{job="b", i="1"} 100-1.5x40
  m{job="b", i="2"} -5+0.7x40
  n{job="a"} 5+0.5x40
  n{job="b"} NaN 1 2 3 _ _ _ 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40
  c{job="a", i="1"} 0 5 10 15 3 8 13 1 2 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
  c{job="b", i="1"} 0+7x40
  h_bucket{job="a", le="0.1"} 0+1x40
  h_bucket{job="a", le="1"} 0+3x40
  h_bucket{job="a", le="+Inf"} 0+4x40
  h_bucket{job="b", le="0.5"} 0+2x40
  h_bucket{job="b", le="+Inf"} 0+2x40
''')
seen = set()
while len(seen) < n:
    e = vec(random.choice([1, 2, 2, 3]))
    if e in seen: continue
    seen.add(e)
    t = random.choice(['5m', '10m', '17m30s', '12m10s'])
    print(f"eval instant at {t} {e}")
