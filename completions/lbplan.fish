# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_lbplan_global_optspecs
    string join \n config= v/verbose q/quiet color= h/help V/version
end

function __fish_lbplan_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_lbplan_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_lbplan_using_subcommand
    set -l cmd (__fish_lbplan_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c lbplan -n "__fish_lbplan_needs_command" -l config -d 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)' -r -F
complete -c lbplan -n "__fish_lbplan_needs_command" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_needs_command" -s v -l verbose -d 'Say on standard error which config file is used'
complete -c lbplan -n "__fish_lbplan_needs_command" -s q -l quiet -d 'Print the findings (or the plan) alone: no notes, no summary line'
complete -c lbplan -n "__fish_lbplan_needs_command" -s h -l help -d 'Print help'
complete -c lbplan -n "__fish_lbplan_needs_command" -s V -l version -d 'Print version'
complete -c lbplan -n "__fish_lbplan_needs_command" -f -a "lint" -d 'Report load-balancer conflicts, each at its file and line'
complete -c lbplan -n "__fish_lbplan_needs_command" -f -a "plan" -d 'Show the plan: load balancers, listeners, backend groups, members and weights'
complete -c lbplan -n "__fish_lbplan_needs_command" -f -a "weights" -d 'Compute cross-cluster backend weights, exactly as CCE rounds them'
complete -c lbplan -n "__fish_lbplan_needs_command" -f -a "diff" -d 'What a change does to the load balancers: the plans of a base and a head compared'
complete -c lbplan -n "__fish_lbplan_needs_command" -f -a "init" -d 'Write the .lbplan.yaml lbplan infers for the repository (clusters, sources, provider)'
complete -c lbplan -n "__fish_lbplan_needs_command" -f -a "rules" -d 'List the rules'
complete -c lbplan -n "__fish_lbplan_needs_command" -f -a "explain" -d 'Explain a rule: what it checks, why it matters, an example and the fix'
complete -c lbplan -n "__fish_lbplan_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c lbplan -n "__fish_lbplan_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -s f -l format -d 'Output format' -r -f -a "human\t''
concise\t'One line per finding: FILE:LINE:COL: SEVERITY[CODE] MESSAGE'
json\t''
sarif\t'SARIF 2.1.0, for code-scanning uploads'
github\t'GitHub Actions workflow commands (annotations)'
junit\t'JUnit XML, for CI test viewers'"
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -s o -l output -d 'Write the report to FILE instead of standard output (the summary line still goes to standard error)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l fail-on -d 'Lowest severity that makes the exit code 1' -r -f -a "info\t''
warning\t''
error\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l baseline -d 'Report only findings the baseline FILE (from --write-baseline) does not accept; the summary counts the others' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l write-baseline -d 'Record today\'s findings in FILE as the baseline (JSON, no line numbers) and exit 0' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l select -d 'Report only these rules: codes (LB101), code prefixes (LB1) or names, comma-separated' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l ignore -d 'Do not report these rules: codes, code prefixes or names, comma-separated' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l stdin-name -d 'How findings name standard input' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l cluster -d 'Lint standard input and the PATHs as the config\'s cluster NAME (without PATHs: only that cluster\'s paths)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l exclude -d 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l kustomize-bin -d 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize\'s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository\'s config never names a program' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l helm-bin -d 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository\'s config never names a program' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l provider -d 'Cloud provider' -r -f -a "huawei-cce\t''
ctyun-cce\t''
tencent-tke\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l flavor -d 'Cluster flavor (CCE standard or turbo; TKE serverless)' -r -f -a "standard\t''
turbo\t''
serverless\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l k8s-version -d 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l proxy-mode -d 'kube-proxy mode' -r -f -a "iptables\t''
ipvs\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l network -d 'TKE container network mode' -r -f -a "global-router\t''
vpc-cni\t''
mixed\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l global-route-direct-access -d 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)' -r -f -a "true\t''
false\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l pods -d 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster\'s pods even when it lists none)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l cluster-export -d 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l config -d 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l statistics -d 'Count the findings of each rule instead of listing them (human, concise or json)'
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l no-ignore -d 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip'
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l no-render -d 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted'
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l no-remote -d 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)'
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -l no-cache -d 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered'
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -s v -l verbose -d 'Say on standard error which config file is used'
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -s q -l quiet -d 'Print the findings (or the plan) alone: no notes, no summary line'
complete -c lbplan -n "__fish_lbplan_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -s f -l format -d 'Output format' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -s o -l output -d 'Write the plan to FILE instead of standard output' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l stdin-name -d 'How the plan names standard input' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l cluster -d 'Plan standard input and the PATHs as the config\'s cluster NAME (without PATHs: only that cluster\'s paths)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l exclude -d 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l kustomize-bin -d 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize\'s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository\'s config never names a program' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l helm-bin -d 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository\'s config never names a program' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l provider -d 'Cloud provider' -r -f -a "huawei-cce\t''
ctyun-cce\t''
tencent-tke\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l flavor -d 'Cluster flavor (CCE standard or turbo; TKE serverless)' -r -f -a "standard\t''
turbo\t''
serverless\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l k8s-version -d 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l proxy-mode -d 'kube-proxy mode' -r -f -a "iptables\t''
ipvs\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l network -d 'TKE container network mode' -r -f -a "global-router\t''
vpc-cni\t''
mixed\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l global-route-direct-access -d 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)' -r -f -a "true\t''
false\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l pods -d 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster\'s pods even when it lists none)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l cluster-export -d 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l config -d 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l wide -d 'Tables as wide as their content, rather than fitted to the terminal ($COLUMNS, else its width, else 100)'
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l members -d 'List every member one by one (up to 10,000 in a run), rather than identical and assumed members counted in one row or entry'
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l no-ignore -d 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip'
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l no-render -d 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted'
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l no-remote -d 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)'
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -l no-cache -d 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered'
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -s v -l verbose -d 'Say on standard error which config file is used'
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -s q -l quiet -d 'Print the findings (or the plan) alone: no notes, no summary line'
complete -c lbplan -n "__fish_lbplan_using_subcommand plan" -s h -l help -d 'Print help'
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l cluster -d 'A cluster\'s group for the calculator: NAME=W:MODE:PLACEMENT, MODE pod or node, PLACEMENT target pods per node (3,1,1) or, in pod mode, a pod count (7). A plain NAME (no `=`) instead reads standard input and the PATHs as the config\'s cluster NAME' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -s f -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l stdin-name -d 'How the plan names standard input' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l exclude -d 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l kustomize-bin -d 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize\'s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository\'s config never names a program' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l helm-bin -d 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository\'s config never names a program' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l provider -d 'Cloud provider' -r -f -a "huawei-cce\t''
ctyun-cce\t''
tencent-tke\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l flavor -d 'Cluster flavor (CCE standard or turbo; TKE serverless)' -r -f -a "standard\t''
turbo\t''
serverless\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l k8s-version -d 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l proxy-mode -d 'kube-proxy mode' -r -f -a "iptables\t''
ipvs\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l network -d 'TKE container network mode' -r -f -a "global-router\t''
vpc-cni\t''
mixed\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l global-route-direct-access -d 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)' -r -f -a "true\t''
false\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l pods -d 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster\'s pods even when it lists none)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l cluster-export -d 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l config -d 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l wide -d 'Tables as wide as their content, rather than fitted to the terminal ($COLUMNS, else its width, else 100)'
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l members -d 'List every member one by one (up to 10,000 in a run), rather than identical and assumed members counted in one row or entry'
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l no-ignore -d 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip'
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l no-render -d 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted'
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l no-remote -d 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)'
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -l no-cache -d 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered'
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -s v -l verbose -d 'Say on standard error which config file is used'
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -s q -l quiet -d 'Print the findings (or the plan) alone: no notes, no summary line'
complete -c lbplan -n "__fish_lbplan_using_subcommand weights" -s h -l help -d 'Print help'
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l base-root -d 'The base is this folder: the same relative inputs under it (a checkout of the target branch, say)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l base-rev -d 'The base is this git revision, read without a checkout: the merge base of REV and the head (HEAD, or --head-rev), as a pull request is compared' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l head-rev -d 'Read the head from git too, at REV (default: the working folder, uncommitted edits included)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -s f -l format -d 'Output format' -r -f -a "human\t''
markdown\t'For a pull-request comment or $GITHUB_STEP_SUMMARY'
json\t''
github\t'GitHub Actions workflow commands (annotations on the head\'s lines)'"
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -s o -l output -d 'Write the report to FILE instead of standard output' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l summary -d 'Also append the Markdown report to FILE, in the same run ("$GITHUB_STEP_SUMMARY")' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l fail-on -d 'Lowest severity of a transition finding, or of a lint finding new in the head, that makes the exit code 1' -r -f -a "info\t''
warning\t''
error\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l baseline -d 'The baseline FILE (from `lint --write-baseline`), read on each side: the base\'s accepts lint findings on both sides; what the head\'s adds is reported (LB516)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l select -d 'Report only these rules: codes (LB505), code prefixes (LB5) or names, comma-separated' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l ignore -d 'Do not report these rules: codes, code prefixes or names, comma-separated' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l max-bytes -d 'Markdown (and --summary): the most bytes to write, a hard bound; what does not fit is left out and counted, load balancers\' details before findings' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l exclude -d 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l kustomize-bin -d 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize\'s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository\'s config never names a program' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l helm-bin -d 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository\'s config never names a program' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l provider -d 'Cloud provider' -r -f -a "huawei-cce\t''
ctyun-cce\t''
tencent-tke\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l flavor -d 'Cluster flavor (CCE standard or turbo; TKE serverless)' -r -f -a "standard\t''
turbo\t''
serverless\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l k8s-version -d 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l proxy-mode -d 'kube-proxy mode' -r -f -a "iptables\t''
ipvs\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l network -d 'TKE container network mode' -r -f -a "global-router\t''
vpc-cni\t''
mixed\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l global-route-direct-access -d 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)' -r -f -a "true\t''
false\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l pods -d 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster\'s pods even when it lists none)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l cluster-export -d 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l config -d 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l exit-code -d 'Exit code 3 when the plan changed and nothing reached --fail-on'
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l no-ignore -d 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip'
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l no-render -d 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted'
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l no-remote -d 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)'
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -l no-cache -d 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered'
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -s v -l verbose -d 'Say on standard error which config file is used'
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -s q -l quiet -d 'Print the findings (or the plan) alone: no notes, no summary line'
complete -c lbplan -n "__fish_lbplan_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -l exclude -d 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)' -r
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -l kustomize-bin -d 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize\'s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository\'s config never names a program' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -l helm-bin -d 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository\'s config never names a program' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -l config -d 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -l stdout -d 'Print the file on standard output instead of writing it'
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -l no-ignore -d 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip'
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -l no-render -d 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted'
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -l no-remote -d 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)'
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -l no-cache -d 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered'
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -s v -l verbose -d 'Say on standard error which config file is used'
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -s q -l quiet -d 'Print the findings (or the plan) alone: no notes, no summary line'
complete -c lbplan -n "__fish_lbplan_using_subcommand init" -s h -l help -d 'Print help'
complete -c lbplan -n "__fish_lbplan_using_subcommand rules" -s f -l format -d 'Output format' -r -f -a "table\t''
json\t''
markdown\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand rules" -l config -d 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand rules" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand rules" -l wide -d 'The table as wide as its content, rather than fitted to the terminal ($COLUMNS, else its width, else 100)'
complete -c lbplan -n "__fish_lbplan_using_subcommand rules" -s v -l verbose -d 'Say on standard error which config file is used'
complete -c lbplan -n "__fish_lbplan_using_subcommand rules" -s q -l quiet -d 'Print the findings (or the plan) alone: no notes, no summary line'
complete -c lbplan -n "__fish_lbplan_using_subcommand rules" -s h -l help -d 'Print help'
complete -c lbplan -n "__fish_lbplan_using_subcommand explain" -l config -d 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand explain" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand explain" -s v -l verbose -d 'Say on standard error which config file is used'
complete -c lbplan -n "__fish_lbplan_using_subcommand explain" -s q -l quiet -d 'Print the findings (or the plan) alone: no notes, no summary line'
complete -c lbplan -n "__fish_lbplan_using_subcommand explain" -s h -l help -d 'Print help'
complete -c lbplan -n "__fish_lbplan_using_subcommand completions" -l config -d 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)' -r -F
complete -c lbplan -n "__fish_lbplan_using_subcommand completions" -l color -d 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lbplan -n "__fish_lbplan_using_subcommand completions" -s v -l verbose -d 'Say on standard error which config file is used'
complete -c lbplan -n "__fish_lbplan_using_subcommand completions" -s q -l quiet -d 'Print the findings (or the plan) alone: no notes, no summary line'
complete -c lbplan -n "__fish_lbplan_using_subcommand completions" -s h -l help -d 'Print help'
complete -c lbplan -n "__fish_lbplan_using_subcommand help; and not __fish_seen_subcommand_from lint plan weights diff init rules explain completions help" -f -a "lint" -d 'Report load-balancer conflicts, each at its file and line'
complete -c lbplan -n "__fish_lbplan_using_subcommand help; and not __fish_seen_subcommand_from lint plan weights diff init rules explain completions help" -f -a "plan" -d 'Show the plan: load balancers, listeners, backend groups, members and weights'
complete -c lbplan -n "__fish_lbplan_using_subcommand help; and not __fish_seen_subcommand_from lint plan weights diff init rules explain completions help" -f -a "weights" -d 'Compute cross-cluster backend weights, exactly as CCE rounds them'
complete -c lbplan -n "__fish_lbplan_using_subcommand help; and not __fish_seen_subcommand_from lint plan weights diff init rules explain completions help" -f -a "diff" -d 'What a change does to the load balancers: the plans of a base and a head compared'
complete -c lbplan -n "__fish_lbplan_using_subcommand help; and not __fish_seen_subcommand_from lint plan weights diff init rules explain completions help" -f -a "init" -d 'Write the .lbplan.yaml lbplan infers for the repository (clusters, sources, provider)'
complete -c lbplan -n "__fish_lbplan_using_subcommand help; and not __fish_seen_subcommand_from lint plan weights diff init rules explain completions help" -f -a "rules" -d 'List the rules'
complete -c lbplan -n "__fish_lbplan_using_subcommand help; and not __fish_seen_subcommand_from lint plan weights diff init rules explain completions help" -f -a "explain" -d 'Explain a rule: what it checks, why it matters, an example and the fix'
complete -c lbplan -n "__fish_lbplan_using_subcommand help; and not __fish_seen_subcommand_from lint plan weights diff init rules explain completions help" -f -a "completions" -d 'Print shell completions'
complete -c lbplan -n "__fish_lbplan_using_subcommand help; and not __fish_seen_subcommand_from lint plan weights diff init rules explain completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
