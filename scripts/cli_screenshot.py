#!/usr/bin/env python3
"""Renders `initlens check` output (ANSI colours) to media/cli.png with headless Chromium, for the README.
Usage: python3 scripts/cli_screenshot.py   (needs Debian's chromium)"""
import html, re, subprocess, sys, tempfile, os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
files = ['examples/mnist-mlp-default-init.ts', 'examples/falsy-minval.ts', 'examples/tanh-mlp-he.js']
out = subprocess.run(['node', 'bin/initlens.js', 'check', *files, '--color'], cwd=root, capture_output=True, text=True).stdout
STYLE = {'1': 'font-weight:bold', '2': 'color:#8b949e', '4': 'text-decoration:underline', '31': 'color:#ff7b72',
         '33': 'color:#e3b341', '36': 'color:#79c0ff', '32': 'color:#7ee787'}
parts, open_spans = [], 0
for chunk in re.split(r'(\x1b\[[0-9;]*m)', out):
    m = re.fullmatch(r'\x1b\[([0-9;]*)m', chunk)
    if not m:
        parts.append(html.escape(chunk))
        continue
    code = m.group(1)
    if code in ('0', '22', '24', '39', ''):
        if open_spans:
            parts.append('</span>'); open_spans -= 1
    elif code in STYLE:
        parts.append(f'<span style="{STYLE[code]}">'); open_spans += 1
body = ''.join(parts) + '</span>' * open_spans
page = f"""<html><body style="margin:0;background:#0d1117"><pre style="font:13px/1.45 'DejaVu Sans Mono',monospace;color:#e6edf3;
padding:18px 22px;margin:0;white-space:pre-wrap;width:1260px"><span style="color:#7ee787">$</span> npx initlens check {' '.join(files)}
{body}</pre></body></html>"""
with tempfile.NamedTemporaryFile('w', suffix='.html', delete=False) as f:
    f.write(page)
subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--no-first-run', '--window-size=1300,720',
                f'--screenshot={os.path.join(root, "media", "cli.png")}', 'file://' + f.name], check=True, capture_output=True)
print('wrote media/cli.png')
