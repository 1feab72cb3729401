
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'lbplan' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'lbplan'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'lbplan' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Report load-balancer conflicts, each at its file and line')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show the plan: load balancers, listeners, backend groups, members and weights')
            [CompletionResult]::new('weights', 'weights', [CompletionResultType]::ParameterValue, 'Compute cross-cluster backend weights, exactly as CCE rounds them')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'What a change does to the load balancers: the plans of a base and a head compared')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write the .lbplan.yaml lbplan infers for the repository (clusters, sources, provider)')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the rules')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a rule: what it checks, why it matters, an example and the fix')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lbplan;lint' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output (the summary line still goes to standard error)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output (the summary line still goes to standard error)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Lowest severity that makes the exit code 1')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Report only findings the baseline FILE (from --write-baseline) does not accept; the summary counts the others')
            [CompletionResult]::new('--write-baseline', '--write-baseline', [CompletionResultType]::ParameterName, 'Record today''s findings in FILE as the baseline (JSON, no line numbers) and exit 0')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Report only these rules: codes (LB101), code prefixes (LB1) or names, comma-separated')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Do not report these rules: codes, code prefixes or names, comma-separated')
            [CompletionResult]::new('--stdin-name', '--stdin-name', [CompletionResultType]::ParameterName, 'How findings name standard input')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Lint standard input and the PATHs as the config''s cluster NAME (without PATHs: only that cluster''s paths)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)')
            [CompletionResult]::new('--kustomize-bin', '--kustomize-bin', [CompletionResultType]::ParameterName, 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize''s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository''s config never names a program')
            [CompletionResult]::new('--helm-bin', '--helm-bin', [CompletionResultType]::ParameterName, 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository''s config never names a program')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Cloud provider')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Cluster flavor (CCE standard or turbo; TKE serverless)')
            [CompletionResult]::new('--k8s-version', '--k8s-version', [CompletionResultType]::ParameterName, 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)')
            [CompletionResult]::new('--proxy-mode', '--proxy-mode', [CompletionResultType]::ParameterName, 'kube-proxy mode')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'TKE container network mode')
            [CompletionResult]::new('--global-route-direct-access', '--global-route-direct-access', [CompletionResultType]::ParameterName, 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)')
            [CompletionResult]::new('--pods', '--pods', [CompletionResultType]::ParameterName, 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster''s pods even when it lists none)')
            [CompletionResult]::new('--cluster-export', '--cluster-export', [CompletionResultType]::ParameterName, 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)')
            [CompletionResult]::new('--statistics', '--statistics', [CompletionResultType]::ParameterName, 'Count the findings of each rule instead of listing them (human, concise or json)')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip')
            [CompletionResult]::new('--no-render', '--no-render', [CompletionResultType]::ParameterName, 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted')
            [CompletionResult]::new('--no-remote', '--no-remote', [CompletionResultType]::ParameterName, 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lbplan;plan' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the plan to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the plan to FILE instead of standard output')
            [CompletionResult]::new('--stdin-name', '--stdin-name', [CompletionResultType]::ParameterName, 'How the plan names standard input')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Plan standard input and the PATHs as the config''s cluster NAME (without PATHs: only that cluster''s paths)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)')
            [CompletionResult]::new('--kustomize-bin', '--kustomize-bin', [CompletionResultType]::ParameterName, 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize''s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository''s config never names a program')
            [CompletionResult]::new('--helm-bin', '--helm-bin', [CompletionResultType]::ParameterName, 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository''s config never names a program')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Cloud provider')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Cluster flavor (CCE standard or turbo; TKE serverless)')
            [CompletionResult]::new('--k8s-version', '--k8s-version', [CompletionResultType]::ParameterName, 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)')
            [CompletionResult]::new('--proxy-mode', '--proxy-mode', [CompletionResultType]::ParameterName, 'kube-proxy mode')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'TKE container network mode')
            [CompletionResult]::new('--global-route-direct-access', '--global-route-direct-access', [CompletionResultType]::ParameterName, 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)')
            [CompletionResult]::new('--pods', '--pods', [CompletionResultType]::ParameterName, 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster''s pods even when it lists none)')
            [CompletionResult]::new('--cluster-export', '--cluster-export', [CompletionResultType]::ParameterName, 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables as wide as their content, rather than fitted to the terminal ($COLUMNS, else its width, else 100)')
            [CompletionResult]::new('--members', '--members', [CompletionResultType]::ParameterName, 'List every member one by one (up to 10,000 in a run), rather than identical and assumed members counted in one row or entry')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip')
            [CompletionResult]::new('--no-render', '--no-render', [CompletionResultType]::ParameterName, 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted')
            [CompletionResult]::new('--no-remote', '--no-remote', [CompletionResultType]::ParameterName, 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'lbplan;weights' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'A cluster''s group for the calculator: NAME=W:MODE:PLACEMENT, MODE pod or node, PLACEMENT target pods per node (3,1,1) or, in pod mode, a pod count (7). A plain NAME (no `=`) instead reads standard input and the PATHs as the config''s cluster NAME')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--stdin-name', '--stdin-name', [CompletionResultType]::ParameterName, 'How the plan names standard input')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)')
            [CompletionResult]::new('--kustomize-bin', '--kustomize-bin', [CompletionResultType]::ParameterName, 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize''s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository''s config never names a program')
            [CompletionResult]::new('--helm-bin', '--helm-bin', [CompletionResultType]::ParameterName, 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository''s config never names a program')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Cloud provider')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Cluster flavor (CCE standard or turbo; TKE serverless)')
            [CompletionResult]::new('--k8s-version', '--k8s-version', [CompletionResultType]::ParameterName, 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)')
            [CompletionResult]::new('--proxy-mode', '--proxy-mode', [CompletionResultType]::ParameterName, 'kube-proxy mode')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'TKE container network mode')
            [CompletionResult]::new('--global-route-direct-access', '--global-route-direct-access', [CompletionResultType]::ParameterName, 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)')
            [CompletionResult]::new('--pods', '--pods', [CompletionResultType]::ParameterName, 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster''s pods even when it lists none)')
            [CompletionResult]::new('--cluster-export', '--cluster-export', [CompletionResultType]::ParameterName, 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables as wide as their content, rather than fitted to the terminal ($COLUMNS, else its width, else 100)')
            [CompletionResult]::new('--members', '--members', [CompletionResultType]::ParameterName, 'List every member one by one (up to 10,000 in a run), rather than identical and assumed members counted in one row or entry')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip')
            [CompletionResult]::new('--no-render', '--no-render', [CompletionResultType]::ParameterName, 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted')
            [CompletionResult]::new('--no-remote', '--no-remote', [CompletionResultType]::ParameterName, 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'lbplan;diff' {
            [CompletionResult]::new('--base-root', '--base-root', [CompletionResultType]::ParameterName, 'The base is this folder: the same relative inputs under it (a checkout of the target branch, say)')
            [CompletionResult]::new('--base-rev', '--base-rev', [CompletionResultType]::ParameterName, 'The base is this git revision, read without a checkout: the merge base of REV and the head (HEAD, or --head-rev), as a pull request is compared')
            [CompletionResult]::new('--head-rev', '--head-rev', [CompletionResultType]::ParameterName, 'Read the head from git too, at REV (default: the working folder, uncommitted edits included)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output')
            [CompletionResult]::new('--summary', '--summary', [CompletionResultType]::ParameterName, 'Also append the Markdown report to FILE, in the same run ("$GITHUB_STEP_SUMMARY")')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Lowest severity of a transition finding, or of a lint finding new in the head, that makes the exit code 1')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'The baseline FILE (from `lint --write-baseline`), read on each side: the base''s accepts lint findings on both sides; what the head''s adds is reported (LB516)')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Report only these rules: codes (LB505), code prefixes (LB5) or names, comma-separated')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Do not report these rules: codes, code prefixes or names, comma-separated')
            [CompletionResult]::new('--max-bytes', '--max-bytes', [CompletionResultType]::ParameterName, 'Markdown (and --summary): the most bytes to write, a hard bound; what does not fit is left out and counted, load balancers'' details before findings')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)')
            [CompletionResult]::new('--kustomize-bin', '--kustomize-bin', [CompletionResultType]::ParameterName, 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize''s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository''s config never names a program')
            [CompletionResult]::new('--helm-bin', '--helm-bin', [CompletionResultType]::ParameterName, 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository''s config never names a program')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Cloud provider')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Cluster flavor (CCE standard or turbo; TKE serverless)')
            [CompletionResult]::new('--k8s-version', '--k8s-version', [CompletionResultType]::ParameterName, 'Kubernetes version: 1.28, v1.28.8, v1.28.8-r0, or as the cluster reports it (v1.19.16-r2-CCE22.5.1, v1.22.5-tke.9)')
            [CompletionResult]::new('--proxy-mode', '--proxy-mode', [CompletionResultType]::ParameterName, 'kube-proxy mode')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'TKE container network mode')
            [CompletionResult]::new('--global-route-direct-access', '--global-route-direct-access', [CompletionResultType]::ParameterName, 'TKE: direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in kube-system/tke-service-controller-config)')
            [CompletionResult]::new('--pods', '--pods', [CompletionResultType]::ParameterName, 'Pod snapshot, such as the output of `kubectl get pods -A -o yaml` (an export that holds the cluster''s pods even when it lists none)')
            [CompletionResult]::new('--cluster-export', '--cluster-export', [CompletionResultType]::ParameterName, 'kubectl output to read cluster facts from (repeatable): `kubectl get nodes -o yaml`, `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets and Deployments')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit code 3 when the plan changed and nothing reached --fail-on')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip')
            [CompletionResult]::new('--no-render', '--no-render', [CompletionResultType]::ParameterName, 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted')
            [CompletionResult]::new('--no-remote', '--no-remote', [CompletionResultType]::ParameterName, 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lbplan;init' {
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and folders matching GLOB in folder walks (gitignore syntax; a glob with a `/` before its end is relative to the working folder; repeatable)')
            [CompletionResult]::new('--kustomize-bin', '--kustomize-bin', [CompletionResultType]::ParameterName, 'The Kustomize renderer to run (kustomize, kubectl or oc; default: render.kustomize''s engine on PATH). Also LBPLAN_KUSTOMIZE; a repository''s config never names a program')
            [CompletionResult]::new('--helm-bin', '--helm-bin', [CompletionResultType]::ParameterName, 'The helm to run (default: helm on PATH). Also LBPLAN_HELM; a repository''s config never names a program')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)')
            [CompletionResult]::new('--stdout', '--stdout', [CompletionResultType]::ParameterName, 'Print the file on standard output instead of writing it')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Also read what .gitignore, .ignore, .git/info/exclude, .helmignore and the built-in excludes (vendor/, node_modules/, testdata/, ...) skip')
            [CompletionResult]::new('--no-render', '--no-render', [CompletionResultType]::ParameterName, 'Do not render Kustomize overlays or Helm charts (runs no program): each overlay gets a note, the charts one note, and their files are not linted')
            [CompletionResult]::new('--no-remote', '--no-remote', [CompletionResultType]::ParameterName, 'Refuse Kustomize overlays that need remote bases, before anything runs (no fetch)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the render cache ($XDG_CACHE_HOME/lbplan, or LBPLAN_CACHE_DIR): every overlay is rendered')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'lbplan;rules' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'The table as wide as its content, rather than fitted to the terminal ($COLUMNS, else its width, else 100)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'lbplan;explain' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'lbplan;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: .lbplan.yaml or .lbplan.yml in the working folder or its parents)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR or CLICOLOR_FORCE colour a log that is no terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on standard error which config file is used')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the findings (or the plan) alone: no notes, no summary line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'lbplan;help' {
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Report load-balancer conflicts, each at its file and line')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show the plan: load balancers, listeners, backend groups, members and weights')
            [CompletionResult]::new('weights', 'weights', [CompletionResultType]::ParameterValue, 'Compute cross-cluster backend weights, exactly as CCE rounds them')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'What a change does to the load balancers: the plans of a base and a head compared')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write the .lbplan.yaml lbplan infers for the repository (clusters, sources, provider)')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the rules')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a rule: what it checks, why it matters, an example and the fix')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lbplan;help;lint' {
            break
        }
        'lbplan;help;plan' {
            break
        }
        'lbplan;help;weights' {
            break
        }
        'lbplan;help;diff' {
            break
        }
        'lbplan;help;init' {
            break
        }
        'lbplan;help;rules' {
            break
        }
        'lbplan;help;explain' {
            break
        }
        'lbplan;help;completions' {
            break
        }
        'lbplan;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
