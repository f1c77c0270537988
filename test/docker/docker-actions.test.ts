/** A Dockerfile action (with outputs, args, env and a post entrypoint) and a docker:// step, end to end. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { gitRepo, slipway, tmpDir } from "../helpers/cli.ts";
import { dockerAvailable } from "./docker-available.ts";

const FILES: Record<string, string> = {
  "action/action.yml": `name: greeter
inputs:
  who: { required: true }
outputs:
  greeting: { description: g }
runs:
  using: docker
  image: Dockerfile
  args: ["hello", "\${{ inputs.who }}"]
  env: { EXTRA: from-action }
  post-entrypoint: /post.sh
`,
  "action/Dockerfile": "FROM debian:bookworm\nCOPY entrypoint.sh post.sh /\nRUN chmod +x /entrypoint.sh /post.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
  "action/entrypoint.sh": '#!/bin/sh\necho "args: $*, input=$INPUT_WHO extra=$EXTRA ws=$GITHUB_WORKSPACE"\necho "greeting=$1 $2" >> "$GITHUB_OUTPUT"\necho made > "$GITHUB_WORKSPACE/made-in-container"\n',
  "action/post.sh": "#!/bin/sh\necho post-ran\n",
  ".github/workflows/ci.yml": `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: g
        uses: ./action
        with: { who: world }
      - run: test "\${{ steps.g.outputs.greeting }}" = "hello world" && test "$(cat made-in-container)" = made
      - id: uri
        uses: docker://debian:bookworm
        with:
          entrypoint: /bin/sh
          args: -c 'echo uri-ran in $GITHUB_WORKSPACE && echo v=1 >> $GITHUB_OUTPUT'
      - run: test "\${{ steps.uri.outputs.v }}" = 1
`,
};

test("a Dockerfile action and a docker:// step", { skip: dockerAvailable() }, () => {
  const repo = gitRepo(FILES);
  const data = tmpDir();
  const r = slipway(["run", "-C", repo, "--data-dir", data, "--json"], { timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr.slice(-4000));
  assert.match(r.stderr, /args: hello world, input=world extra=from-action ws=\/github\/workspace/);
  assert.match(r.stderr, /uri-ran in \/github\/workspace/);
  assert.match(r.stderr, /post-ran/);
  const again = slipway(["run", "-C", repo, "--data-dir", data], { timeoutMs: 240_000 });
  assert.equal(again.code, 0, again.stderr.slice(-3000));
  assert.match(again.stderr, /Using image slipway-action:[0-9a-f]+ built earlier/, "the image is cached by content");
});
