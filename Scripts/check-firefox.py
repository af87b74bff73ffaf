"""Manual check of the web page in Firefox (the automated browser test uses Chromium).

Drives headless Firefox ESR (Debian `firefox-esr`) over WebDriver BiDi, which Firefox speaks
without geckodriver: at desktop and phone width it uploads PHOTO on the analyse page, waits for
the face bars, then opens the models and dashboard pages, saving a screenshot of each into
OUT_DIR; last it prints the keyboard tab order of the analyse page.

    emocl serve --port 8091 --database sqlite:/tmp/ff.sqlite &
    "$(bash Scripts/bench-venv.sh)" -m pip install websockets
    "$(bash Scripts/bench-venv.sh)" Scripts/check-firefox.py http://localhost:8091 PHOTO OUT_DIR
"""
import asyncio, base64, json, subprocess, sys, tempfile, time
import websockets

BASE, PHOTO, OUT = sys.argv[1:4]

async def main():
    profile = tempfile.mkdtemp()
    ff = subprocess.Popen(["firefox-esr", "--headless", "--remote-debugging-port=9333", "--profile", profile,
                           "--no-remote"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                ws = await websockets.connect("ws://127.0.0.1:9333/session", max_size=None); break
            except Exception: await asyncio.sleep(0.3)
        n = 0
        async def cmd(method, **params):
            nonlocal n; n += 1; my = n
            await ws.send(json.dumps({"id": my, "method": method, "params": params}))
            while True:
                msg = json.loads(await ws.recv())
                if msg.get("id") == my:
                    if msg.get("type") == "error": raise RuntimeError(f"{method}: {msg}")
                    return msg["result"]
        await cmd("session.new", capabilities={})
        ctx = (await cmd("browsingContext.getTree"))["contexts"][0]["context"]
        async def js(expr):
            r = await cmd("script.evaluate", expression=expr, target={"context": ctx}, awaitPromise=True,
                          resultOwnership="root")
            return r["result"]
        async def wait(expr, seconds=30):
            end = time.time() + seconds
            while time.time() < end:
                r = await js(expr)
                if r.get("value") is True: return
                await asyncio.sleep(0.25)
            raise RuntimeError("timed out waiting for " + expr)
        async def shot(name):
            data = (await cmd("browsingContext.captureScreenshot", context=ctx, origin="document"))["data"]
            open(f"{OUT}/{name}.png", "wb").write(base64.b64decode(data))
        for width, height in [(1280, 900), (390, 844)]:
            await cmd("browsingContext.setViewport", context=ctx, viewport={"width": width, "height": height})
            await cmd("browsingContext.navigate", context=ctx, url=BASE + "/", wait="complete")
            await wait("document.querySelector('#model').options.length > 0")
            node = await js("document.querySelector('#file')")
            await cmd("input.setFiles", context=ctx, element={"sharedId": node["sharedId"]}, files=[PHOTO])
            await wait("document.querySelectorAll('#faces meter, #faces .bar, #faces [role=meter], #faces li').length > 0 || document.querySelector('#status').textContent.includes('rror')")
            await asyncio.sleep(0.5)
            print(width, "status:", (await js("document.querySelector('#status').textContent"))["value"])
            print(width, "faces html chars:", (await js("document.querySelector('#faces').innerHTML.length"))["value"])
            await shot(f"ff-index-{width}")
            await cmd("browsingContext.navigate", context=ctx, url=BASE + "/models", wait="complete")
            await asyncio.sleep(1.5); await shot(f"ff-models-{width}")
            await cmd("browsingContext.navigate", context=ctx, url=BASE + "/dashboard", wait="complete")
            await asyncio.sleep(1.5); await shot(f"ff-dashboard-{width}")
        # Keyboard: Tab from the top reaches the file chooser label (drop zone is focusable).
        await cmd("browsingContext.navigate", context=ctx, url=BASE + "/", wait="complete")
        seen = []
        for _ in range(14):
            await cmd("input.performActions", context=ctx, actions=[{"type": "key", "id": "kb", "actions": [
                {"type": "keyDown", "value": "\uE004"}, {"type": "keyUp", "value": "\uE004"}]}])
            seen.append((await js("document.activeElement.id || document.activeElement.tagName"))["value"])
        print("tab order:", seen)
        await cmd("session.end")
    finally:
        ff.kill()

asyncio.run(main())
