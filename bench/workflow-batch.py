#!/usr/bin/env python3
"""Helper of bench/workflow-batch.sh (issue 6): product photos and CSV, uploads through the API, the chain run for the
scheduling overhead, and the figures read back from the job and workflow rows of the SQLite database.

Standard library only (photos are drawn by ImageMagick's `convert`). Subcommands:
  photos DIR N            N product photos (1000-1600 px, light backdrop; 250 distinct drawings), kept between runs
  csv N FILE              the product CSV for `cos products import`
  upload BASE KEY DB DIR  one photo per product, POST /api/v1/products/{id}/photos
  idle DB                 wait until no job is queued or running (thumbnails of the uploads)
  chain BASE KEY DB K     a 10-step workspace template run over K products one at a time; prints the overhead
  report DB BATCH         runs, per-skill job durations, queue waits, overhead of the batch's dependent steps
"""
import concurrent.futures
import datetime
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

CATEGORIES = [
    # (category, noun, shape, sized) -- sized products carry Size variants and a Chest list, so the size chart has data.
    ("Sports & Outdoors > Water Bottles", "Insulated Water Bottle", "bottle", False),
    ("Home & Kitchen > Mugs", "Ceramic Coffee Mug", "mug", False),
    ("Home & Kitchen > Storage", "Stackable Storage Box", "box", False),
    ("Clothing > T-Shirts", "Organic Cotton T-Shirt", "shirt", True),
    ("Home & Kitchen > Lighting", "LED Desk Lamp", "lamp", False),
    ("Clothing > Hoodies", "Fleece Pullover Hoodie", "shirt", True),
]
COLOURS = [("Ocean Blue", "#2a6f97"), ("Forest Green", "#2d6a4f"), ("Coral", "#e76f51"), ("Charcoal", "#343a40"),
           ("Mustard", "#e9c46a"), ("Plum", "#6d597a"), ("Sand", "#c2a878"), ("Red", "#c1121f"), ("Teal", "#1b998b")]
BACKDROPS = [("#f7f4ef", "#dcd6cc"), ("#f4f6f8", "#d5dbe0"), ("#faf7f2", "#e4ddd0"), ("#f2f2f2", "#d0d0d0")]


def product(i):
    category, noun, shape, sized = CATEGORIES[i % len(CATEGORIES)]
    colour = COLOURS[(i // len(CATEGORIES)) % len(COLOURS)]
    return category, noun, shape, sized, colour


def photo_args(i, path):
    rnd = random.Random(i)
    _, _, shape, _, (_, fill) = product(i)
    w, h = rnd.randrange(1000, 1601, 8), rnd.randrange(1000, 1601, 8)
    top, bottom = BACKDROPS[rnd.randrange(len(BACKDROPS))]
    s = min(w, h) / 1000 * rnd.uniform(0.85, 1.1)
    cx, base = w / 2 + rnd.uniform(-0.08, 0.08) * w, h * rnd.uniform(0.78, 0.86)

    def p(x, y):
        return f"{cx + x * s:.0f},{base + y * s:.0f}"

    shadow_w = {"bottle": 170, "mug": 230, "box": 300, "shirt": 320, "lamp": 200}[shape]
    draw = []
    if shape == "bottle":
        draw += ["-fill", fill, "-draw", f"roundrectangle {p(-110, -560)} {p(110, 0)} {45 * s:.0f},{45 * s:.0f}",
                 "-fill", "#1d1d1d", "-draw", f"roundrectangle {p(-60, -650)} {p(60, -550)} {15 * s:.0f},{15 * s:.0f}",
                 "-fill", "#f2e8cf", "-draw", f"rectangle {p(-100, -360)} {p(100, -200)}"]
    elif shape == "mug":
        draw += ["-fill", "none", "-stroke", fill, "-strokewidth", f"{38 * s:.0f}", "-draw", f"ellipse {p(190, -200)} {90 * s:.0f},{110 * s:.0f} -90 90",
                 "-stroke", "none", "-fill", fill, "-draw", f"roundrectangle {p(-190, -400)} {p(190, 0)} {30 * s:.0f},{30 * s:.0f}",
                 "-fill", "#ffffff", "-draw", f"rectangle {p(-120, -300)} {p(60, -180)}"]
    elif shape == "box":
        draw += ["-fill", fill, "-draw", f"rectangle {p(-260, -330)} {p(260, 0)}",
                 "-fill", "#00000033", "-draw", f"rectangle {p(-260, -330)} {p(260, -290)}",
                 "-fill", "#ffffff", "-draw", f"rectangle {p(-60, -220)} {p(60, -160)}"]
    elif shape == "shirt":
        pts = " ".join(p(x, y) for x, y in [(-150, -620), (-300, -560), (-380, -420), (-270, -370), (-220, -430), (-220, 0),
                                             (220, 0), (220, -430), (270, -370), (380, -420), (300, -560), (150, -620), (0, -560)])
        draw += ["-fill", fill, "-draw", f"polygon {pts}", "-fill", "#00000022", "-draw", f"ellipse {p(0, -590)} {70 * s:.0f},{35 * s:.0f} 0 180"]
    else:  # lamp
        draw += ["-fill", "#2b2b2b", "-draw", f"roundrectangle {p(-150, -40)} {p(150, 0)} {15 * s:.0f},{15 * s:.0f}",
                 "-draw", f"rectangle {p(-12, -520)} {p(12, -40)}",
                 "-fill", fill, "-draw", f"polygon {p(-200, -520)} {p(200, -520)} {p(110, -720)} {p(-110, -720)}"]
    # The shadow is blurred on a quarter-size canvas and scaled up: a full-size blur costs seconds a photo.
    shadow = ["(", "-size", f"{w // 4}x{h // 4}", "xc:none", "-fill", "rgba(0,0,0,0.42)", "-draw",
              f"ellipse {cx / 4:.0f},{(base + 8 * s) / 4:.0f} {shadow_w * s / 4:.0f},{22 * s / 4:.0f} 0 360", "-blur", "0x4", "-filter", "Triangle", "-resize", f"{w}x{h}!", ")", "-composite"]
    # The backdrop gradient too: drawn 8 px wide and stretched (a full-size gradient is most of the cost).
    backdrop = ["-size", f"8x{h // 4}", f"gradient:{top}-{bottom}", "-filter", "Triangle", "-resize", f"{w}x{h}!"]
    return ["convert", *backdrop, *shadow, *draw, "-quality", "88", path]


def photos(directory, n, distinct=250):
    """Draws min(n, distinct) photos; product i beyond them gets drawing i % distinct with its own JPEG comment segment,
    so every product's file (and blob) is different while the drawing costs stay bounded on a busy machine."""
    os.makedirs(directory, exist_ok=True)
    start = time.monotonic()
    drawn = min(n, distinct)
    todo = [i for i in range(drawn) if not os.path.exists(os.path.join(directory, f"photo-{i:04d}.jpg"))]

    def make(i):
        final = os.path.join(directory, f"photo-{i:04d}.jpg")
        subprocess.run(photo_args(i, final + ".tmp.jpg"), check=True)
        os.replace(final + ".tmp.jpg", final)

    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        list(pool.map(make, todo))
    for i in range(drawn, n):
        final = os.path.join(directory, f"photo-{i:04d}.jpg")
        if not os.path.exists(final):
            with open(os.path.join(directory, f"photo-{i % drawn:04d}.jpg"), "rb") as f:
                jpeg = f.read()
            comment = f"CommerceOS workflow bench product {i}".encode()
            segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
            with open(final, "wb") as f:
                f.write(jpeg[:2] + segment + jpeg[2:])
    print(f"photos: {n} in {directory}, {drawn} distinct drawings ({len(todo)} drawn now in {time.monotonic() - start:.0f} s)")


def csv(n, path):
    import csv as csvmodule
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csvmodule.writer(f)
        out.writerow(["sku", "title", "description", "category", "status", "target_audience", "selling_points", "attributes",
                      "variant_sku", "variant_options", "price", "currency", "stock"])
        for i in range(n):
            category, noun, shape, sized, (colour, _) = product(i)
            sku = f"WFB-{i:04d}"
            title = f"{noun}, {colour}, Model {1000 + i}"
            description = (f"The {noun.lower()} in {colour.lower()}: made for everyday use, easy to clean and built to last. "
                           f"Model {1000 + i} ships in recyclable packaging.")
            points = " | ".join(["Durable materials for daily use", "Easy to clean", f"Available in {colour}"])
            audience = "Busy professionals and students"
            price = f"{random.Random(i).randrange(12, 60)}.99"
            if sized:
                chest = "Chest (cm):list=88|96|104|112"
                for size in ["S", "M", "L", "XL"]:
                    out.writerow([sku, title, description, category, "active", audience, points, f"Material=Organic cotton; {chest}",
                                  f"{sku}-{size}", f"Color={colour}; Size={size}", price, "USD", "25"])
            else:
                attrs = {"bottle": "Capacity=750[ml]; Material=Stainless steel", "mug": "Capacity=350[ml]; Material=Ceramic",
                         "box": "Volume=20[l]; Material=Polypropylene", "lamp": "Power=8[W]; Colour temperature=4000[K]"}[shape]
                out.writerow([sku, title, description, category, "active", audience, points, attrs, f"{sku}-1", f"Color={colour}", price, "USD", "40"])
    print(f"csv: {n} products in {path}")


def request(base, key, method, path, body=None, content_type="application/json"):
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": content_type, "Accept": "application/json"})
    for attempt in range(20):
        try:
            with urllib.request.urlopen(req, timeout=120) as response:
                text = response.read()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            if error.code == 429 and attempt < 19:
                time.sleep(float(error.headers.get("Retry-After") or 1))
                continue
            raise RuntimeError(f"{method} {path}: {error.code} {error.read()[:400]!r}") from error
    raise RuntimeError("unreachable")


def product_ids(db):
    with sqlite3.connect(db) as con:
        return con.execute("SELECT Id, Sku FROM Products ORDER BY Sku").fetchall()


def upload(base, key, db, directory):
    rows = product_ids(db)
    start = time.monotonic()

    def send(item):
        index, (pid, _) = item
        with open(os.path.join(directory, f"photo-{index:04d}.jpg"), "rb") as f:
            content = f.read()
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo-{index:04d}.jpg\"\r\n"
                f"Content-Type: image/jpeg\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        request(base, key, "POST", f"/api/v1/products/{pid.lower()}/photos", body, f"multipart/form-data; boundary={boundary}")

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(send, enumerate(rows)))
    seconds = time.monotonic() - start
    print(f"upload: {len(rows)} photos through POST /api/v1/products/{{id}}/photos in {seconds:.0f} s ({len(rows) / seconds:.1f}/s)")


def idle(db, timeout=900):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with sqlite3.connect(db) as con:
            busy = con.execute("SELECT COUNT(*) FROM Jobs WHERE Status IN (0, 1)").fetchone()[0]
        if busy == 0:
            return
        time.sleep(1)
    raise RuntimeError("jobs still queued or running")


def ts(text):
    if text is None:
        return None
    text = text.replace("T", " ")
    if "." in text:
        head, frac = text.split(".")
        text = f"{head}.{frac[:6].ljust(6, '0')}"
    else:
        text += ".000000"
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f")


def ms(a, b):
    return (b - a).total_seconds() * 1000


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def overhead(db, batch_ids):
    """Per dependent step: its job's start minus the finish of the job it waited for, split into the engine's phases."""
    marks = ",".join("?" * len(batch_ids))
    with sqlite3.connect(db) as con:
        rows = con.execute(f"""
            SELECT s.RunId, s.Key, s.DependsOnJson, s.ReadyAt, s.StartedAt, s.FinishedAt, j.CreatedAt, j.StartedAt, j.FinishedAt
            FROM WorkflowSteps s JOIN WorkflowRuns r ON r.Id = s.RunId JOIN Jobs j ON j.Id = s.JobId
            WHERE r.BatchId IN ({marks}) AND s.Status = 4""", [b.upper() for b in batch_ids]).fetchall()
    by_key = {(r[0], r[1]): r for r in rows}
    gaps = {"total": [], "reconcile": [], "ready_to_launch": [], "launch_to_job": [], "job_queue": []}
    for run_id, key, depends, ready, step_start, _, job_created, job_start, _ in rows:
        deps = [by_key.get((run_id, d)) for d in json.loads(depends or "[]")]
        deps = [d for d in deps if d is not None]
        if not deps:
            continue
        last = max(deps, key=lambda d: ts(d[8]))  # the dependency whose job finished last released this step
        gaps["total"].append(ms(ts(last[8]), ts(job_start)))
        gaps["reconcile"].append(ms(ts(last[8]), ts(ready)))
        gaps["ready_to_launch"].append(ms(ts(ready), ts(step_start)))
        gaps["launch_to_job"].append(ms(ts(step_start), ts(job_created)))
        gaps["job_queue"].append(ms(ts(job_created), ts(job_start)))
    return gaps


def print_overhead(label, gaps):
    if not gaps["total"]:
        print(f"{label}: no dependent steps")
        return
    print(f"{label}: {len(gaps['total'])} dependent steps; previous job finished -> next job started: "
          f"median {statistics.median(gaps['total']):.0f} ms, p95 {pct(gaps['total'], 0.95):.0f} ms, max {max(gaps['total']):.0f} ms")
    print("  phases (median / p95 ms): " + ", ".join(
        f"{name} {statistics.median(v):.0f} / {pct(v, 0.95):.0f}" for name, v in gaps.items() if name != "total"))


CHAIN_SKILLS = ["seo-keywords", "compliance-check"]


def chain(base, key, db, k):
    steps = []
    for i in range(10):
        step = {"key": f"s{i + 1}", "skill": CHAIN_SKILLS[i % 2]}
        if i > 0:
            step["dependsOn"] = [f"s{i}"]
        steps.append(step)
    template = request(base, key, "POST", "/api/v1/workflows/templates",
                       {"name": "Bench chain of 10", "description": "seo / compliance, each after the previous",
                        "marketplaces": ["amazon"], "steps": steps})
    rows = product_ids(db)[:k]
    batches = []
    for pid, _ in rows:
        started = request(base, key, "POST", "/api/v1/workflows/runs", {"template": template["id"], "productIds": [pid.lower()]})
        batch = started["batch"]["id"] if isinstance(started.get("batch"), dict) else started.get("batchId")
        batches.append(batch)
        run_id = started["runs"][0]["id"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            run = request(base, key, "GET", f"/api/v1/workflows/runs/{run_id}")
            if run["status"] not in ("running",):
                break
            time.sleep(0.5)
        print(f"chain run {run_id}: {run['status']}")
    print_overhead(f"chain: 10 steps x {k} products, one at a time", overhead(db, batches))


def report(db, batch):
    with sqlite3.connect(db) as con:
        b = batch.upper()
        runs = con.execute("SELECT Status, COUNT(*) FROM WorkflowRuns WHERE BatchId = ? GROUP BY Status", [b]).fetchall()
        times = con.execute("SELECT MIN(CreatedAt), MAX(FinishedAt) FROM WorkflowRuns WHERE BatchId = ?", [b]).fetchone()
        steps = con.execute("""
            SELECT s.Skill, s.Status, s.Error, j.CreatedAt, j.StartedAt, j.FinishedAt, j.Attempts
            FROM WorkflowSteps s JOIN WorkflowRuns r ON r.Id = s.RunId LEFT JOIN Jobs j ON j.Id = s.JobId
            WHERE r.BatchId = ?""", [b]).fetchall()
        errors = con.execute("""
            SELECT s.Skill, s.Error, COUNT(*) FROM WorkflowSteps s JOIN WorkflowRuns r ON r.Id = s.RunId
            WHERE r.BatchId = ? AND s.Error IS NOT NULL GROUP BY s.Skill, s.Error""", [b]).fetchall()
        other = con.execute("SELECT Kind, COUNT(*) FROM Jobs WHERE Id NOT IN (SELECT JobId FROM WorkflowSteps WHERE JobId IS NOT NULL) GROUP BY Kind").fetchall()
    names = {0: "pending", 1: "ready", 2: "active", 3: "awaitingApproval", 4: "succeeded", 5: "failed", 6: "skipped", 7: "cancelled"}
    run_names = {0: "running", 1: "awaitingApproval", 2: "succeeded", 3: "failed", 4: "cancelled"}
    print("runs: " + ", ".join(f"{run_names.get(s, s)} {c}" for s, c in runs))
    if times[0] and times[1]:
        wall = ms(ts(times[0]), ts(times[1])) / 1000
        finished = sum(c for s, c in runs if s in (2, 3))
        print(f"batch from the rows: first run created -> last run finished {wall:.1f} s; {finished} runs finished, "
              f"{finished * 60 / wall:.1f} products/min")
    per_skill = {}
    for skill, status, _, created, started, finished, attempts in steps:
        entry = per_skill.setdefault(skill, {"n": 0, "run": [], "wait": [], "attempts": 0, "status": {}})
        entry["n"] += 1
        entry["status"][status] = entry["status"].get(status, 0) + 1
        if started and finished:
            entry["run"].append(ms(ts(started), ts(finished)))
            entry["wait"].append(ms(ts(created), ts(started)))
            entry["attempts"] += attempts or 0
    print("per skill: steps, job run time median / p95 / sum, queue wait median")
    total = sum(sum(e["run"]) for e in per_skill.values())
    for skill, e in sorted(per_skill.items()):
        if e["run"]:
            print(f"  {skill}: {e['n']} steps ({', '.join(f'{k} {v}' for k, v in sorted(e['status'].items()))}), attempts {e['attempts']}, "
                  f"run {statistics.median(e['run']):.0f} / {pct(e['run'], 0.95):.0f} ms / {sum(e['run']) / 1000:.0f} s "
                  f"({100 * sum(e['run']) / total:.0f} % of job time), wait {statistics.median(e['wait']) / 1000:.1f} s")
        else:
            print(f"  {skill}: {e['n']} steps, no job ran")
    for skill, error, count in errors:
        print(f"  error {skill}: {error} x {count}")
    print("other jobs in the database: " + ", ".join(f"{k} {c}" for k, c in other))
    print_overhead("dependent steps of the batch (a worker was not always free)", overhead(db, [batch]))


def main(argv):
    match argv:
        case ["photos", directory, n]:
            photos(directory, int(n))
        case ["csv", n, path]:
            csv(int(n), path)
        case ["upload", base, key, db, directory]:
            upload(base, key, db, directory)
        case ["idle", db]:
            idle(db)
        case ["chain", base, key, db, k]:
            chain(base, key, db, int(k))
        case ["report", db, batch]:
            report(db, batch)
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
