import importlib.util, sys, time
from pathlib import Path
spec = importlib.util.spec_from_file_location("pr", "/work/main/tests/linkage/test_precision_recall.py")
pr = importlib.util.module_from_spec(spec); sys.modules["pr"] = pr; spec.loader.exec_module(pr)

def test_bench(link_answers):
    ts = pr.synthetic(n_people=100_000)
    con = link_answers(ts)
    sql = Path("/work/main/pipeline/transform/sql/scored/response_linkage.sql").read_text()
    for _ in range(2):
        t = time.time()
        con.execute("create or replace table x as " + sql)
        print("\nresponse_linkage sql", time.time() - t)
    print(con.execute("select link_status, count(*) from x group by 1 order by 1").fetchall())
    con.execute("pragma enable_profiling='json'; pragma profiling_output='/tmp/prof.json'")
    con.execute("create or replace table x as " + sql)
    con.execute("pragma disable_profiling")
