#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""repo_deploy_yaml: the deployment examples parse, and say what the image does.

    deploy_yaml.py SOURCE VERSION

Every docs/deploy/*.y*ml file and every ```yaml block of README.md is valid
YAML; each names the image of this version (a Prometheus scrape config
excepted); the Kubernetes probes ask /healthz on the container's port 8080.
"""
import glob
import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.exit("FAIL: python3's yaml module is missing (Debian: python3-yaml, scripts/deps.sh test)")


def fail(msg):
    sys.exit(f"FAIL: {msg}")


def main():
    source, version = sys.argv[1], sys.argv[2]
    docs = {}
    for path in sorted(glob.glob(os.path.join(source, "docs", "deploy", "*.y*ml"))):
        with open(path) as f:
            docs[os.path.relpath(path, source)] = f.read()
    with open(os.path.join(source, "README.md")) as f:
        for n, block in enumerate(re.findall(r"```yaml\n(.*?)```", f.read(), re.S), 1):
            docs[f"README.md, yaml block {n}"] = block
    if len(docs) < 5:
        fail(f"expected the four files of docs/deploy and a README block, found {list(docs)}")
    parsed = {}
    for name, text in docs.items():
        try:
            parsed[name] = list(yaml.safe_load_all(text))
        except yaml.YAMLError as e:
            fail(f"{name} is not valid YAML: {e}")
        images = re.findall(r"(?:image|name): *(\S*httpstatus:\S+)", text)
        if "scrape_configs:" in text:  # Prometheus scraping /metrics, not a deployment
            print(f"ok - {name} parses (a scrape config)")
            continue
        if not images:
            fail(f"{name} names no httpstatus image")
        for image in images:
            if not image.endswith(":" + version):
                fail(f"{name} names {image}, not version {version}")
        print(f"ok - {name} parses and names {', '.join(sorted(set(images)))}")

    kube = parsed[os.path.join("docs", "deploy", "kubernetes.yaml")]
    kinds = {d["kind"]: d for d in kube}
    if set(kinds) != {"Deployment", "Service"}:
        fail(f"kubernetes.yaml holds {sorted(kinds)}, not a Deployment and a Service")
    container = kinds["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("livenessProbe", "readinessProbe"):
        get = container[probe]["httpGet"]
        if get["path"] != "/healthz" or ports.get(get["port"], get["port"]) != 8080:
            fail(f"the {probe} asks {get}, not /healthz on 8080")
    print("ok - kubernetes.yaml: liveness and readiness probes ask /healthz on 8080")
    if kinds["Service"]["spec"]["selector"] != kinds["Deployment"]["spec"]["selector"]["matchLabels"]:
        fail("the Service does not select the Deployment's pods")
    print("ok - kubernetes.yaml: the Service selects the Deployment's pods")


if __name__ == "__main__":
    main()
