#!/bin/sh
# Keep ONE GitHub issue about broken external links in step with the nightly report
# (`make link-report`): open it when links break, update it while any stay broken, close it when
# none is left. Usage: broken-links-issue.sh REPORT.md (an empty file means every link answers).
# Needs the gh CLI (preinstalled on GitHub's runners) with GH_TOKEN and GH_REPO set.
set -eu

report=$1
label=broken-links
title="Broken external links"

open=$(gh issue list --label "$label" --state open --limit 1 --json number --jq '.[0].number // empty')

if [ -s "$report" ]; then
  if [ -n "$open" ]; then
    gh issue edit "$open" --body-file "$report"
    echo "Updated issue #$open."
  else
    # --force: create the label, or leave the one there is as it is
    gh label create "$label" --color d73a4a --description "External links the nightly check could not reach" --force
    gh issue create --title "$title" --label "$label" --body-file "$report"
  fi
elif [ -n "$open" ]; then
  gh issue close "$open" --comment "The nightly link check reached every external link: all fixed."
  echo "Closed issue #$open."
else
  echo "No broken links and no open issue: nothing to do."
fi
