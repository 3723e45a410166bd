import importlib.util, sys, time
spec = importlib.util.spec_from_file_location("pr", "/work/main/tests/linkage/test_precision_recall.py")
pr = importlib.util.module_from_spec(spec); sys.modules["pr"] = pr; spec.loader.exec_module(pr)

def test_bench(link_answers):
    t = time.time()
    ts = pr.synthetic(n_people=100_000)
    print("\ngen", len(ts), time.time() - t)
    t = time.time()
    con = link_answers(ts)
    print("land+build", time.time() - t)
    t = time.time()
    con.execute("create or replace table x as select * from response_linkage")
    print("response_linkage alone", time.time() - t)
    print(con.execute("select match_type, count(*) from linked_pairs group by 1").fetchall())
