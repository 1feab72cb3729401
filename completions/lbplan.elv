
use builtin;
use str;

set edit:completion:arg-completer[lbplan] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'lbplan'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'lbplan'= {
            cand --config 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)'
            cand --color 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)'
            cand -v 'Say on standard error which config file is used'
            cand --verbose 'Say on standard error which config file is used'
            cand -q 'Print the findings (or the plan) alone: no notes, no summary line'
            cand --quiet 'Print the findings (or the plan) alone: no notes, no summary line'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand lint 'Report load-balancer conflicts, each at its file and line'
            cand plan 'Show the plan: load balancers, listeners, backend groups, members and weights'
            cand weights 'Compute cross-cluster backend weights, exactly as CCE rounds them'
            cand diff 'What a change does to the load balancers: the plans of a base and a head compared'
            cand init 'Write the .lbplan.yaml lbplan infers for the repository (clusters, sources, provider)'
            cand rules 'List the rules'
            cand explain 'Explain a rule: what it checks, why it matters, an example and the fix'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lbplan;lint'= {
            cand -f 'Output format'
            cand --format 'Output format'
            cand -o 'Write the report to FILE instead of standard output (the summary line still goes to standard error)'
            cand --output 'Write the report to FILE instead of standard output (the summary line still goes to standard error)'
            cand --fail-on 'Lowest severity that makes the exit code 1'
            cand --baseline 'Report only findings the baseline FILE (from --write-baseline) does not accept; the summary counts the others'
            cand --write-baseline 'Record today''s findings in FILE as the baseline (JSON, no line numbers) and exit 0'
            cand --select 'Report only these rules: codes (LB101), code prefixes (LB1) or names, comma-separated'
            cand --ignore 'Do not report these rules: codes, code prefixes or names, comma-separated'
            cand --stdin-name 'How findings name standard input'
            cand --cluster 'Lint standard input and the PATHs as the config''s cluster NAME (without PATHs: only that cluster''s paths)'
            cand --exclude 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)'
            cand --kustomize-bin 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize''s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository''s config never names a program'
            cand --helm-bin 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository''s config never names a program'
            cand --provider 'Cloud provider'
            cand --flavor 'Cluster flavor (CCE standard or turbo; TKE serverless)'
            cand --k8s-version 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)'
            cand --proxy-mode 'kube-proxy mode'
            cand --network 'TKE container network mode'
            cand --global-route-direct-access 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)'
            cand --pods 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster''s pods even when it lists none)'
            cand --cluster-export 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments'
            cand --config 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)'
            cand --color 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)'
            cand --statistics 'Count the findings of each rule instead of listing them (human, concise or json)'
            cand --no-ignore 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip'
            cand --no-render 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted'
            cand --no-remote 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)'
            cand --no-cache 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered'
            cand -v 'Say on standard error which config file is used'
            cand --verbose 'Say on standard error which config file is used'
            cand -q 'Print the findings (or the plan) alone: no notes, no summary line'
            cand --quiet 'Print the findings (or the plan) alone: no notes, no summary line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lbplan;plan'= {
            cand -f 'Output format'
            cand --format 'Output format'
            cand -o 'Write the plan to FILE instead of standard output'
            cand --output 'Write the plan to FILE instead of standard output'
            cand --stdin-name 'How the plan names standard input'
            cand --cluster 'Plan standard input and the PATHs as the config''s cluster NAME (without PATHs: only that cluster''s paths)'
            cand --exclude 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)'
            cand --kustomize-bin 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize''s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository''s config never names a program'
            cand --helm-bin 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository''s config never names a program'
            cand --provider 'Cloud provider'
            cand --flavor 'Cluster flavor (CCE standard or turbo; TKE serverless)'
            cand --k8s-version 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)'
            cand --proxy-mode 'kube-proxy mode'
            cand --network 'TKE container network mode'
            cand --global-route-direct-access 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)'
            cand --pods 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster''s pods even when it lists none)'
            cand --cluster-export 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments'
            cand --config 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)'
            cand --color 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)'
            cand --wide 'Tables as wide as their content, rather than fitted to the terminal ($COLUMNS, else its width, else 100)'
            cand --members 'List every member one by one (up to 10,000 in a run), rather than identical and assumed members counted in one row or entry'
            cand --no-ignore 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip'
            cand --no-render 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted'
            cand --no-remote 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)'
            cand --no-cache 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered'
            cand -v 'Say on standard error which config file is used'
            cand --verbose 'Say on standard error which config file is used'
            cand -q 'Print the findings (or the plan) alone: no notes, no summary line'
            cand --quiet 'Print the findings (or the plan) alone: no notes, no summary line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'lbplan;weights'= {
            cand --cluster 'A cluster''s group for the calculator: NAME=W:MODE:PLACEMENT, MODE pod or node, PLACEMENT target pods per node (3,1,1) or, in pod mode, a pod count (7). A plain NAME (no `=`) instead reads standard input and the PATHs as the config''s cluster NAME'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --stdin-name 'How the plan names standard input'
            cand --exclude 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)'
            cand --kustomize-bin 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize''s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository''s config never names a program'
            cand --helm-bin 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository''s config never names a program'
            cand --provider 'Cloud provider'
            cand --flavor 'Cluster flavor (CCE standard or turbo; TKE serverless)'
            cand --k8s-version 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)'
            cand --proxy-mode 'kube-proxy mode'
            cand --network 'TKE container network mode'
            cand --global-route-direct-access 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)'
            cand --pods 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster''s pods even when it lists none)'
            cand --cluster-export 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments'
            cand --config 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)'
            cand --color 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)'
            cand --wide 'Tables as wide as their content, rather than fitted to the terminal ($COLUMNS, else its width, else 100)'
            cand --members 'List every member one by one (up to 10,000 in a run), rather than identical and assumed members counted in one row or entry'
            cand --no-ignore 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip'
            cand --no-render 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted'
            cand --no-remote 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)'
            cand --no-cache 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered'
            cand -v 'Say on standard error which config file is used'
            cand --verbose 'Say on standard error which config file is used'
            cand -q 'Print the findings (or the plan) alone: no notes, no summary line'
            cand --quiet 'Print the findings (or the plan) alone: no notes, no summary line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'lbplan;diff'= {
            cand --base-root 'The base is this folder: the same relative inputs under it (a checkout of the target branch, say)'
            cand --base-rev 'The base is this git revision, read without a checkout: the merge base of REV and the head (HEAD, or --head-rev), as a pull request is compared'
            cand --head-rev 'Read the head from git too, at REV (default: the working folder, uncommitted edits included)'
            cand -f 'Output format'
            cand --format 'Output format'
            cand -o 'Write the report to FILE instead of standard output'
            cand --output 'Write the report to FILE instead of standard output'
            cand --summary 'Also append the Markdown report to FILE, in the same run ("$GITHUB_STEP_SUMMARY")'
            cand --fail-on 'Lowest severity of a transition finding, or of a lint finding new in the head, that makes the exit code 1'
            cand --baseline 'The baseline FILE (from `lint --write-baseline`), read on each side: the base''s accepts lint findings on both sides; what the head''s adds is reported (LB516)'
            cand --select 'Report only these rules: codes (LB505), code prefixes (LB5) or names, comma-separated'
            cand --ignore 'Do not report these rules: codes, code prefixes or names, comma-separated'
            cand --max-bytes 'Markdown (and --summary): the most bytes to write, a hard bound; what does not fit is left out and counted, load balancers'' details before findings'
            cand --exclude 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)'
            cand --kustomize-bin 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize''s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository''s config never names a program'
            cand --helm-bin 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository''s config never names a program'
            cand --provider 'Cloud provider'
            cand --flavor 'Cluster flavor (CCE standard or turbo; TKE serverless)'
            cand --k8s-version 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)'
            cand --proxy-mode 'kube-proxy mode'
            cand --network 'TKE container network mode'
            cand --global-route-direct-access 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)'
            cand --pods 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster''s pods even when it lists none)'
            cand --cluster-export 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments'
            cand --config 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)'
            cand --color 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)'
            cand --exit-code 'Exit code 3 when the plan changed and nothing reached --fail-on'
            cand --no-ignore 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip'
            cand --no-render 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted'
            cand --no-remote 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)'
            cand --no-cache 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered'
            cand -v 'Say on standard error which config file is used'
            cand --verbose 'Say on standard error which config file is used'
            cand -q 'Print the findings (or the plan) alone: no notes, no summary line'
            cand --quiet 'Print the findings (or the plan) alone: no notes, no summary line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lbplan;init'= {
            cand --exclude 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)'
            cand --kustomize-bin 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize''s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository''s config never names a program'
            cand --helm-bin 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository''s config never names a program'
            cand --config 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)'
            cand --color 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)'
            cand --stdout 'Print the file on standard output instead of writing it'
            cand --no-ignore 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip'
            cand --no-render 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted'
            cand --no-remote 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)'
            cand --no-cache 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered'
            cand -v 'Say on standard error which config file is used'
            cand --verbose 'Say on standard error which config file is used'
            cand -q 'Print the findings (or the plan) alone: no notes, no summary line'
            cand --quiet 'Print the findings (or the plan) alone: no notes, no summary line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'lbplan;rules'= {
            cand -f 'Output format'
            cand --format 'Output format'
            cand --config 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)'
            cand --color 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)'
            cand --wide 'The table as wide as its content, rather than fitted to the terminal ($COLUMNS, else its width, else 100)'
            cand -v 'Say on standard error which config file is used'
            cand --verbose 'Say on standard error which config file is used'
            cand -q 'Print the findings (or the plan) alone: no notes, no summary line'
            cand --quiet 'Print the findings (or the plan) alone: no notes, no summary line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'lbplan;explain'= {
            cand --config 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)'
            cand --color 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)'
            cand -v 'Say on standard error which config file is used'
            cand --verbose 'Say on standard error which config file is used'
            cand -q 'Print the findings (or the plan) alone: no notes, no summary line'
            cand --quiet 'Print the findings (or the plan) alone: no notes, no summary line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'lbplan;completions'= {
            cand --config 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)'
            cand --color 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)'
            cand -v 'Say on standard error which config file is used'
            cand --verbose 'Say on standard error which config file is used'
            cand -q 'Print the findings (or the plan) alone: no notes, no summary line'
            cand --quiet 'Print the findings (or the plan) alone: no notes, no summary line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'lbplan;help'= {
            cand lint 'Report load-balancer conflicts, each at its file and line'
            cand plan 'Show the plan: load balancers, listeners, backend groups, members and weights'
            cand weights 'Compute cross-cluster backend weights, exactly as CCE rounds them'
            cand diff 'What a change does to the load balancers: the plans of a base and a head compared'
            cand init 'Write the .lbplan.yaml lbplan infers for the repository (clusters, sources, provider)'
            cand rules 'List the rules'
            cand explain 'Explain a rule: what it checks, why it matters, an example and the fix'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lbplan;help;lint'= {
        }
        &'lbplan;help;plan'= {
        }
        &'lbplan;help;weights'= {
        }
        &'lbplan;help;diff'= {
        }
        &'lbplan;help;init'= {
        }
        &'lbplan;help;rules'= {
        }
        &'lbplan;help;explain'= {
        }
        &'lbplan;help;completions'= {
        }
        &'lbplan;help;help'= {
        }
    ]
    $completions[$command]
}
