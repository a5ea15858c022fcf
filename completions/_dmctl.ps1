
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dmctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dmctl'
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
        'dmctl' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'Device identities: list, show, create, delete, enable, disable, keys')
            [CompletionResult]::new('twin', 'twin', [CompletionResultType]::ParameterValue, 'Device twins: show, patch, replace, diff desired vs reported, watch')
            [CompletionResult]::new('method', 'method', [CompletionResultType]::ParameterValue, 'Direct methods: invoke on one device or a fleet')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Run an IoT Hub query (all pages, or --top)')
            [CompletionResult]::new('job', 'job', [CompletionResultType]::ParameterValue, 'Scheduled jobs: create, show, list, cancel, wait')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Automatic device management: configurations the hub keeps applied to matching devices')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The fleet at a glance: connection, agent, operations, leases, compliance (exit 10 if any device is not connected and in sync)')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'A full-screen fleet dashboard in the terminal: browse, filter, inspect, act')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a SAS token signed locally with the connection string''s key (no network)')
            [CompletionResult]::new('reboot', 'reboot', [CompletionResultType]::ParameterValue, 'Reboot now, later, or on a schedule')
            [CompletionResult]::new('factory-reset', 'factory-reset', [CompletionResultType]::ParameterValue, 'Reset a device to factory state (asks for the device id)')
            [CompletionResult]::new('apps', 'apps', [CompletionResultType]::ParameterValue, 'Applications: list, install, remove, start, stop, restart, enable, disable')
            [CompletionResult]::new('updates', 'updates', [CompletionResultType]::ParameterValue, 'OS updates: show, policy, approve, scan, install')
            [CompletionResult]::new('certs', 'certs', [CompletionResultType]::ParameterValue, 'Certificates: list, install, remove, show')
            [CompletionResult]::new('time', 'time', [CompletionResultType]::ParameterValue, 'Device time: show, set time zone and NTP')
            [CompletionResult]::new('wifi', 'wifi', [CompletionResultType]::ParameterValue, 'Wi-Fi profiles: list, add, remove')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Device logs: collect')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Device information and health')
            [CompletionResult]::new('report-all', 'report-all', [CompletionResultType]::ParameterValue, 'Ask the agent to report every section again')
            [CompletionResult]::new('busy', 'busy', [CompletionResultType]::ParameterValue, 'Busy leases held by applications on the device')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'The dm agent itself: update')
            [CompletionResult]::new('ops', 'ops', [CompletionResultType]::ParameterValue, 'Operations on devices: list, show, wait for, cancel (resume after Ctrl-C or --timeout)')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Staged rollouts of a typed command: canary, waves, automatic stop, pause/resume')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show what a desired-state file would change on each device''s twin (nothing is written)')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply a desired-state file: patch only what differs, guarded by each twin''s etag')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until every device of a target satisfies a query condition')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit trail of every call that changed something: show it, or verify its chain')
            [CompletionResult]::new('hub', 'hub', [CompletionResultType]::ParameterValue, 'The local IoT Hub: serve, connection-string')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Run simulated devices with the dm agent against a hub')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'A tour of dmctl on a local hub with simulated devices (no Azure account needed)')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'Saved hub connections: add, list, use, remove')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;device' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List devices (all pages of the registry query)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one device identity (keys are not shown; see `device keys`)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Register a device')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete devices')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Allow a device to connect')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Refuse a device''s connections')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Print a device''s symmetric keys, or regenerate one')
            [CompletionResult]::new('connection-string', 'connection-string', [CompletionResultType]::ParameterValue, 'Print a device''s connection string')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;device;list' {
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Stop after this many devices')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only devices matching this query condition, e.g. "status = ''disabled''"')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;device;show' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;device;create' {
            [CompletionResult]::new('--x509', '--x509', [CompletionResultType]::ParameterName, 'Authenticate with self-signed X.509 certificates of these thumbprints instead of keys')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Register the device as disabled')
            [CompletionResult]::new('--edge', '--edge', [CompletionResultType]::ParameterName, 'Mark the device as an IoT Edge device')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;device;delete' {
            [CompletionResult]::new('--etag', '--etag', [CompletionResultType]::ParameterName, 'Delete only if the identity''s etag still matches')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;device;enable' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (stored as the device''s status reason)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;device;disable' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (stored as the device''s status reason)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;device;keys' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--regenerate', '--regenerate', [CompletionResultType]::ParameterName, 'Replace this key with a new random one first')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;device;connection-string' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'Add the gateway host devices open MQTT to (e.g. localhost:8883 for a local hub)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--secondary', '--secondary', [CompletionResultType]::ParameterName, 'Use the secondary key')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;device;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List devices (all pages of the registry query)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one device identity (keys are not shown; see `device keys`)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Register a device')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete devices')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Allow a device to connect')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Refuse a device''s connections')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Print a device''s symmetric keys, or regenerate one')
            [CompletionResult]::new('connection-string', 'connection-string', [CompletionResultType]::ParameterValue, 'Print a device''s connection string')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;device;help;list' {
            break
        }
        'dmctl;device;help;show' {
            break
        }
        'dmctl;device;help;create' {
            break
        }
        'dmctl;device;help;delete' {
            break
        }
        'dmctl;device;help;enable' {
            break
        }
        'dmctl;device;help;disable' {
            break
        }
        'dmctl;device;help;keys' {
            break
        }
        'dmctl;device;help;connection-string' {
            break
        }
        'dmctl;device;help;help' {
            break
        }
        'dmctl;twin' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a device or module twin')
            [CompletionResult]::new('patch', 'patch', [CompletionResultType]::ParameterValue, 'Patch desired properties and/or tags (one device or a fleet)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Replace a twin''s desired properties and tags as a whole')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare desired with reported properties')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print changes to a twin as they happen, until Ctrl-C')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;twin;show' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'Module id (for a module twin)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;twin;patch' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--desired', '--desired', [CompletionResultType]::ParameterName, 'Desired-properties patch: JSON, @FILE, or - for stdin (null deletes a key)')
            [CompletionResult]::new('--tags', '--tags', [CompletionResultType]::ParameterName, 'Tags patch: JSON, @FILE, or - for stdin')
            [CompletionResult]::new('--etag', '--etag', [CompletionResultType]::ParameterName, 'Apply only if the twin''s etag still matches (one device only)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;twin;replace' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--twin', '--twin', [CompletionResultType]::ParameterName, 'The new twin `{"tags": {...}, "properties": {"desired": {...}}}`: JSON, @FILE, or -')
            [CompletionResult]::new('--etag', '--etag', [CompletionResultType]::ParameterName, 'Replace only if the twin''s etag still matches')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;twin;diff' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'Module id (for a module twin)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Only properties under this dotted path, e.g. dm.reboot')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list properties that are in sync')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit 1 when a desired property differs from (or is not yet) reported, 0 when in sync')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;twin;watch' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (the same as the positional DEVICE)')
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'Module id (for a module twin)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'How often to read the twin')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;twin;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a device or module twin')
            [CompletionResult]::new('patch', 'patch', [CompletionResultType]::ParameterValue, 'Patch desired properties and/or tags (one device or a fleet)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Replace a twin''s desired properties and tags as a whole')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare desired with reported properties')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print changes to a twin as they happen, until Ctrl-C')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;twin;help;show' {
            break
        }
        'dmctl;twin;help;patch' {
            break
        }
        'dmctl;twin;help;replace' {
            break
        }
        'dmctl;twin;help;diff' {
            break
        }
        'dmctl;twin;help;watch' {
            break
        }
        'dmctl;twin;help;help' {
            break
        }
        'dmctl;method' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a direct method and print `{"status": ..., "payload": ...}`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;method;invoke' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Method name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Method name')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Payload: JSON, @FILE, or - for stdin (default: null)')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'Payload: JSON, @FILE, or - for stdin (default: null)')
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'Call a module''s method instead of the device''s')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300; default 30)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; default 0: must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;method;help' {
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a direct method and print `{"status": ..., "payload": ...}`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;method;help;invoke' {
            break
        }
        'dmctl;method;help;help' {
            break
        }
        'dmctl;query' {
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Stop after this many items')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Items per request (the hub caps it at 1000)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;job' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Schedule a direct method or a twin update on the devices matching a condition')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a job')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List jobs')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a job')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a job has finished')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;job;create' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Job id (default: a new random id)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Devices: a query condition, e.g. "tags.site = ''lab''", or * for all')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'Invoke this direct method')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'Method payload: JSON, @FILE, or -')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds each device has to answer the method (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each device to connect (0-300)')
            [CompletionResult]::new('--desired', '--desired', [CompletionResultType]::ParameterName, 'Patch desired properties: JSON, @FILE, or -')
            [CompletionResult]::new('--tags', '--tags', [CompletionResultType]::ParameterName, 'Patch tags: JSON, @FILE, or -')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start at this time (RFC 3339, e.g. 2026-03-01T02:00:00Z) instead of now')
            [CompletionResult]::new('--max-execution-time', '--max-execution-time', [CompletionResultType]::ParameterName, 'How long the job may run')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (with --wait)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the job has finished')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;job;show' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;job;list' {
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only jobs of this type')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only jobs in this state')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;job;cancel' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;job;wait' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;job;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Schedule a direct method or a twin update on the devices matching a condition')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a job')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List jobs')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a job')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a job has finished')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;job;help;create' {
            break
        }
        'dmctl;job;help;show' {
            break
        }
        'dmctl;job;help;list' {
            break
        }
        'dmctl;job;help;cancel' {
            break
        }
        'dmctl;job;help;wait' {
            break
        }
        'dmctl;job;help;help' {
            break
        }
        'dmctl;config' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a configuration: desired properties the hub writes to every matching device')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List configurations with their targeted and applied counts')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a configuration')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a configuration''s target condition, priority, labels or metrics (its content cannot change)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a configuration (devices keep the desired values it wrote)')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Show a configuration''s metrics: targeted, applied and custom counts')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show which devices the configuration in FILE would target and what their desired properties become, without writing anything')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create or update the configuration in FILE, after showing its plan')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;config;create' {
            [CompletionResult]::new('--target-condition', '--target-condition', [CompletionResultType]::ParameterName, 'The devices: a query condition, e.g. "tags.site = ''lab''", or * for all')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Higher wins where configurations overlap (ties go to the newer one)')
            [CompletionResult]::new('--desired', '--desired', [CompletionResultType]::ParameterName, 'A desired property to set: PATH=VALUE, PATH under properties.desired, VALUE as JSON or else as text (repeatable)')
            [CompletionResult]::new('--content', '--content', [CompletionResultType]::ParameterName, 'The whole content: {"deviceContent": {"properties.desired.x": ...}} as JSON, @FILE or -')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'A label KEY=VALUE (repeatable)')
            [CompletionResult]::new('--metric', '--metric', [CompletionResultType]::ParameterName, 'A custom metric NAME=QUERY, e.g. done="SELECT deviceId FROM devices WHERE ..." (repeatable, at most 5)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6; default 10m, a real hub evaluates every 5m)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every targeted device has the configuration applied')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;config;list' {
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'At most this many')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;config;show' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;config;update' {
            [CompletionResult]::new('--target-condition', '--target-condition', [CompletionResultType]::ParameterName, 'A new target condition')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'A new priority')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Set a label KEY=VALUE (repeatable)')
            [CompletionResult]::new('--remove-label', '--remove-label', [CompletionResultType]::ParameterName, 'Remove a label (repeatable)')
            [CompletionResult]::new('--metric', '--metric', [CompletionResultType]::ParameterName, 'Set a custom metric NAME=QUERY (repeatable)')
            [CompletionResult]::new('--remove-metric', '--remove-metric', [CompletionResultType]::ParameterName, 'Remove a custom metric (repeatable)')
            [CompletionResult]::new('--etag', '--etag', [CompletionResultType]::ParameterName, 'Only if the configuration''s etag is still this one')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6; default 10m, a real hub evaluates every 5m)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every targeted device has the configuration applied')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;config;delete' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;config;metrics' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;config;plan' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels", "metrics"} (- reads stdin)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels", "metrics"} (- reads stdin)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;config;apply' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels", "metrics"} (- reads stdin)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels", "metrics"} (- reads stdin)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6; default 10m, a real hub evaluates every 5m)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every targeted device has the configuration applied')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;config;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a configuration: desired properties the hub writes to every matching device')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List configurations with their targeted and applied counts')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a configuration')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a configuration''s target condition, priority, labels or metrics (its content cannot change)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a configuration (devices keep the desired values it wrote)')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Show a configuration''s metrics: targeted, applied and custom counts')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show which devices the configuration in FILE would target and what their desired properties become, without writing anything')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create or update the configuration in FILE, after showing its plan')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;config;help;create' {
            break
        }
        'dmctl;config;help;list' {
            break
        }
        'dmctl;config;help;show' {
            break
        }
        'dmctl;config;help;update' {
            break
        }
        'dmctl;config;help;delete' {
            break
        }
        'dmctl;config;help;metrics' {
            break
        }
        'dmctl;config;help;plan' {
            break
        }
        'dmctl;config;help;apply' {
            break
        }
        'dmctl;config;help;help' {
            break
        }
        'dmctl;status' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Only the devices this query condition selects, e.g. "WHERE tags.site = ''lab''" (default: every device)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'How often --watch reads the fleet (each read costs two queries or more: one count, one per 1,000 devices)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Read and print again every --interval (redrawn in place on a terminal) until Ctrl-C')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;dashboard' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Start filtered to the devices this query condition selects, e.g. "WHERE tags.site = ''lab''" (change it with `/`)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'How often the rows on screen (or the open device) are read again')
            [CompletionResult]::new('--query-budget', '--query-budget', [CompletionResultType]::ParameterName, 'Queries per minute the dashboard may spend at most (one S1 unit allows 20 for every client of the hub together; each refresh costs 2)')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Devices read per query page (more are read as you scroll)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;token' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Scope the token to this device (`{host}/devices/{id}`); the policy needs device-connect permission')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Scope the token to this device (`{host}/devices/{id}`); the policy needs device-connect permission')
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'Scope the token to this module of the device')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'How long the token is valid')
            [CompletionResult]::new('--expiry', '--expiry', [CompletionResultType]::ParameterName, 'Expiry as Unix seconds instead of --ttl')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;reboot' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--in', '--in', [CompletionResultType]::ParameterName, 'Reboot after this delay (at most 1 day), e.g. 5m')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Reboot at this time: RFC 3339 (2025-03-01T02:00:00Z) or HH:MM, the next such local time')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (audited, reported as reboot.lastRebootReason)')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go ahead even if an application on the device holds a busy lease')
            [CompletionResult]::new('--postpone', '--postpone', [CompletionResultType]::ParameterName, 'If a busy lease is held, run when it ends instead of failing with "busy"')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Set or clear scheduled reboots (desired.dm.reboot.schedule)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;reboot;schedule' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--single', '--single', [CompletionResultType]::ParameterName, 'Reboot once at this instant (RFC 3339, e.g. 2025-03-01T02:00:00Z)')
            [CompletionResult]::new('--daily', '--daily', [CompletionResultType]::ParameterName, 'Reboot every day at this local time (HH:MM)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of --daily (IANA name, e.g. Europe/Paris; default: the device''s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Remove every scheduled reboot')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;reboot;help' {
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Set or clear scheduled reboots (desired.dm.reboot.schedule)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;reboot;help;schedule' {
            break
        }
        'dmctl;reboot;help;help' {
            break
        }
        'dmctl;factory-reset' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'The device id again, to confirm without a prompt (with --yes; one device only)')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--clear-tpm', '--clear-tpm', [CompletionResultType]::ParameterName, 'Also clear the TPM (identity keys held there are lost)')
            [CompletionResult]::new('--wipe-data', '--wipe-data', [CompletionResultType]::ParameterName, 'Also erase application data')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go ahead even if an application on the device holds a busy lease')
            [CompletionResult]::new('--postpone', '--postpone', [CompletionResultType]::ParameterName, 'If a busy lease is held, run when it ends instead of failing with "busy"')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;apps' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List systemd units and OS packages (dm.apps.list)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install a package from a URL, checked by its SHA-256 (dm.apps.install)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Stop and remove an app (dm.apps.remove)')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start an app''s unit (dm.apps.start)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop an app''s unit (dm.apps.stop)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart an app''s unit (dm.apps.restart)')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Start an app at boot (dm.apps.enable)')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Do not start an app at boot (dm.apps.disable)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;apps;list' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only units or only packages')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only names containing this text (case-insensitive)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many entries (1-2000; default 500)')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;apps;install' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Where to download the package (https; http only where the device allows it; a signed URL''s query is never printed)')
            [CompletionResult]::new('--sha256', '--sha256', [CompletionResultType]::ParameterName, 'SHA-256 of the package file (64 hex digits)')
            [CompletionResult]::new('--expect-version', '--expect-version', [CompletionResultType]::ParameterName, 'Fail unless the installed package reports this version')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'The publisher''s minisign signature of the package: a .minisig file, or its text (needed by devices that trust publisher keys)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--no-enable', '--no-enable', [CompletionResultType]::ParameterName, 'Do not enable the app''s unit at boot')
            [CompletionResult]::new('--no-start', '--no-start', [CompletionResultType]::ParameterName, 'Do not start the app''s unit after installing')
            [CompletionResult]::new('--allow-downgrade', '--allow-downgrade', [CompletionResultType]::ParameterName, 'Install even when --expect-version is lower than the installed version (or cannot be compared with it)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;apps;remove' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--purge', '--purge', [CompletionResultType]::ParameterName, 'Also delete its configuration and data')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go ahead even if an application on the device holds a busy lease')
            [CompletionResult]::new('--postpone', '--postpone', [CompletionResultType]::ParameterName, 'If a busy lease is held, run when it ends instead of failing with "busy"')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;apps;start' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;apps;stop' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go ahead even if an application on the device holds a busy lease')
            [CompletionResult]::new('--postpone', '--postpone', [CompletionResultType]::ParameterName, 'If a busy lease is held, run when it ends instead of failing with "busy"')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;apps;restart' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go ahead even if an application on the device holds a busy lease')
            [CompletionResult]::new('--postpone', '--postpone', [CompletionResultType]::ParameterName, 'If a busy lease is held, run when it ends instead of failing with "busy"')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;apps;enable' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;apps;disable' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;apps;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List systemd units and OS packages (dm.apps.list)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install a package from a URL, checked by its SHA-256 (dm.apps.install)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Stop and remove an app (dm.apps.remove)')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start an app''s unit (dm.apps.start)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop an app''s unit (dm.apps.stop)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart an app''s unit (dm.apps.restart)')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Start an app at boot (dm.apps.enable)')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Do not start an app at boot (dm.apps.disable)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;apps;help;list' {
            break
        }
        'dmctl;apps;help;install' {
            break
        }
        'dmctl;apps;help;remove' {
            break
        }
        'dmctl;apps;help;start' {
            break
        }
        'dmctl;apps;help;stop' {
            break
        }
        'dmctl;apps;help;restart' {
            break
        }
        'dmctl;apps;help;enable' {
            break
        }
        'dmctl;apps;help;disable' {
            break
        }
        'dmctl;apps;help;help' {
            break
        }
        'dmctl;updates' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the update policy, the last scan and available updates (reported.dm.updates)')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Set the update policy (desired.dm.updates.policy)')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve packages for automatic install (desired.dm.updates.approved)')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Refresh the list of available updates (dm.updates.scan)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install updates now (dm.updates.install)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;updates;show' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;updates;policy' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;updates;approve' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Make these the whole approved list instead of adding them')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;updates;scan' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;updates;install' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--reboot-if-required', '--reboot-if-required', [CompletionResultType]::ParameterName, 'Reboot afterwards when an update needs it')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go ahead even if an application on the device holds a busy lease')
            [CompletionResult]::new('--postpone', '--postpone', [CompletionResultType]::ParameterName, 'If a busy lease is held, run when it ends instead of failing with "busy"')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;updates;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the update policy, the last scan and available updates (reported.dm.updates)')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Set the update policy (desired.dm.updates.policy)')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve packages for automatic install (desired.dm.updates.approved)')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Refresh the list of available updates (dm.updates.scan)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install updates now (dm.updates.install)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;updates;help;show' {
            break
        }
        'dmctl;updates;help;policy' {
            break
        }
        'dmctl;updates;help;approve' {
            break
        }
        'dmctl;updates;help;scan' {
            break
        }
        'dmctl;updates;help;install' {
            break
        }
        'dmctl;updates;help;help' {
            break
        }
        'dmctl;certs' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List certificates, including the OS''s own CA bundle (dm.certificates.list)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install a CA or client certificate (dm.certificates.install)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a certificate by thumbprint (dm.certificates.remove)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one certificate with its PEM (dm.certificates.show)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;certs;list' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Only this store')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;certs;install' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Download the certificate from this URL (with --sha256)')
            [CompletionResult]::new('--sha256', '--sha256', [CompletionResultType]::ParameterName, 'SHA-256 of the downloaded file')
            [CompletionResult]::new('--pem', '--pem', [CompletionResultType]::ParameterName, 'A PEM file to send inline (''-'' reads stdin); for a client certificate, with its key')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'The publisher''s minisign signature of the certificate file (--url''s file or the --pem file): a .minisig file, or its text (needed when the device trusts publisher keys)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;certs;remove' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;certs;show' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;certs;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List certificates, including the OS''s own CA bundle (dm.certificates.list)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install a CA or client certificate (dm.certificates.install)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a certificate by thumbprint (dm.certificates.remove)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one certificate with its PEM (dm.certificates.show)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;certs;help;list' {
            break
        }
        'dmctl;certs;help;install' {
            break
        }
        'dmctl;certs;help;remove' {
            break
        }
        'dmctl;certs;help;show' {
            break
        }
        'dmctl;certs;help;help' {
            break
        }
        'dmctl;time' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The device''s clock, time zone and NTP servers (dm.time.get)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set the time zone and/or NTP servers (desired.dm.time)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;time;show' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;time;set' {
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'IANA time zone, e.g. Europe/Paris')
            [CompletionResult]::new('--ntp', '--ntp', [CompletionResultType]::ParameterName, 'NTP server (repeat for several, in order of preference; replaces the list)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;time;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The device''s clock, time zone and NTP servers (dm.time.get)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set the time zone and/or NTP servers (desired.dm.time)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;time;help;show' {
            break
        }
        'dmctl;time;help;set' {
            break
        }
        'dmctl;time;help;help' {
            break
        }
        'dmctl;wifi' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List Wi-Fi profiles (dm.wifi.list)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a profile, or replace the one with the same SSID (dm.wifi.add)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove profiles by id or SSID (dm.wifi.remove)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;wifi;list' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;wifi;add' {
            [CompletionResult]::new('--security', '--security', [CompletionResultType]::ParameterName, 'Security mode')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from FILE (''-'': stdin); without it dmctl prompts on a terminal. It is never taken from the command line and never printed')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Preference among profiles (-999 to 999; higher wins)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--hidden', '--hidden', [CompletionResultType]::ParameterName, 'The network does not broadcast its SSID')
            [CompletionResult]::new('--no-auto-connect', '--no-auto-connect', [CompletionResultType]::ParameterName, 'Do not connect automatically')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;wifi;remove' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'The profile id (see `wifi list`)')
            [CompletionResult]::new('--ssid', '--ssid', [CompletionResultType]::ParameterName, 'Every profile of this SSID')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;wifi;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List Wi-Fi profiles (dm.wifi.list)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a profile, or replace the one with the same SSID (dm.wifi.add)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove profiles by id or SSID (dm.wifi.remove)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;wifi;help;list' {
            break
        }
        'dmctl;wifi;help;add' {
            break
        }
        'dmctl;wifi;help;remove' {
            break
        }
        'dmctl;wifi;help;help' {
            break
        }
        'dmctl;logs' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('collect', 'collect', [CompletionResultType]::ParameterValue, 'Collect journal entries and log files (dm.diagnostics.collect)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;logs;collect' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries from this long ago on, e.g. 1h')
            [CompletionResult]::new('--unit', '--unit', [CompletionResultType]::ParameterName, 'Only this systemd unit''s journal (repeat for several)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Also this log file or directory on the device (absolute; repeat for several)')
            [CompletionResult]::new('--max-bytes', '--max-bytes', [CompletionResultType]::ParameterName, 'Stop after this many bytes, newest kept (1024 to 67108864)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the logs to FILE (one device) or to DIR/DEVICE.log (several); an upload is followed to its end and fetched from the local hub (DIR/DEVICE.tar.gz)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--no-journal', '--no-journal', [CompletionResultType]::ParameterName, 'Leave the journal out (only --path files)')
            [CompletionResult]::new('--upload', '--upload', [CompletionResultType]::ParameterName, 'Always upload through the hub''s file upload instead of answering inline')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;logs;help' {
            [CompletionResult]::new('collect', 'collect', [CompletionResultType]::ParameterValue, 'Collect journal entries and log files (dm.diagnostics.collect)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;logs;help;collect' {
            break
        }
        'dmctl;logs;help;help' {
            break
        }
        'dmctl;info' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;report-all' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;busy' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Busy leases held on the device now (reported.dm.busy)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;busy;show' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;busy;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Busy leases held on the device now (reported.dm.busy)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;busy;help;show' {
            break
        }
        'dmctl;busy;help;help' {
            break
        }
        'dmctl;agent' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Replace the dm agent on the device with another version and restart it (dm.agent.update)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;agent;update' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Where to download the new agent binary (https; http only where the device allows it; a signed URL''s query is never printed)')
            [CompletionResult]::new('--sha256', '--sha256', [CompletionResultType]::ParameterName, 'SHA-256 of the binary (64 hex digits)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The version the new binary reports for --version; the agent refuses any other, and --wait checks the device''s manifest shows it')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'The publisher''s minisign signature of the binary: a .minisig file, or its text (needed by devices that trust publisher keys)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--allow-downgrade', '--allow-downgrade', [CompletionResultType]::ParameterName, 'Install even when --version is lower than the running agent''s (or cannot be compared with it)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)')
            [CompletionResult]::new('--via-job', '--via-job', [CompletionResultType]::ParameterName, 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operation in the reported twin until it succeeds or fails')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;agent;help' {
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Replace the dm agent on the device with another version and restart it (dm.agent.update)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;agent;help;update' {
            break
        }
        'dmctl;agent;help;help' {
            break
        }
        'dmctl;ops' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every operation the agent reports, in every section (id, op, section, state, times, error)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One operation''s whole envelope')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Follow operations to their final state, sending nothing (exit codes as --wait)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Ask the agent to cancel a pending or postponed operation')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;ops;list' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--section', '--section', [CompletionResultType]::ParameterName, 'Only this section''s operations (e.g. reboot, apps, time)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('--unfinished', '--unfinished', [CompletionResultType]::ParameterName, 'Only operations that have not finished (pending, running, postponed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;ops;show' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;ops;wait' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--section', '--section', [CompletionResultType]::ParameterName, 'With --desired-version: the desired section whose change to follow')
            [CompletionResult]::new('--desired-version', '--desired-version', [CompletionResultType]::ParameterName, 'Follow the agent applying this desired $version of --section (what `--wait` follows after a desired-state change)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (exit 6)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;ops;cancel' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device id (repeat for several devices)')
            [CompletionResult]::new('--devices-from', '--devices-from', [CompletionResultType]::ParameterName, 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--response-timeout', '--response-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device''s answer (5-300)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;ops;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every operation the agent reports, in every section (id, op, section, state, times, error)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One operation''s whole envelope')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Follow operations to their final state, sending nothing (exit codes as --wait)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Ask the agent to cancel a pending or postponed operation')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;ops;help;list' {
            break
        }
        'dmctl;ops;help;show' {
            break
        }
        'dmctl;ops;help;wait' {
            break
        }
        'dmctl;ops;help;cancel' {
            break
        }
        'dmctl;ops;help;help' {
            break
        }
        'dmctl;rollout' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Plan and run a rollout of a typed command (after `--`) in waves')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Waves, counts per outcome, failures and what is next (from the devices'' twin tags)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The rollouts kept on this machine')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Hold the running rollout before its next wave')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Continue a paused rollout, or run an interrupted one from where its devices'' tags say')
            [CompletionResult]::new('abort', 'abort', [CompletionResultType]::ParameterValue, 'Start nothing more: devices not reached stay untouched')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;rollout;start' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The devices: a query condition, e.g. "WHERE tags.site = ''plant-4''" (''*'' for all)')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'A first wave of this many devices (or share of them)')
            [CompletionResult]::new('--waves', '--waves', [CompletionResultType]::ParameterName, 'Waves as cumulative shares of the target, e.g. 10%,25%,50%,100%')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Waves of this many devices (or share of them) each')
            [CompletionResult]::new('--bake', '--bake', [CompletionResultType]::ParameterName, 'Wait this long between waves, then check the finished waves'' --success again')
            [CompletionResult]::new('--max-failures', '--max-failures', [CompletionResultType]::ParameterName, 'Stop when more devices than this have failed (a count, or a share of those started)')
            [CompletionResult]::new('--success', '--success', [CompletionResultType]::ParameterName, 'A device counts as succeeded only if it also matches this query condition, e.g. "properties.reported.dm.apps.web.version = ''2.1.0''"')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Start waves only in this window, e.g. "Sat 02:00-04:00 Europe/Paris"')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many devices to work on at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long one wave may take, waiting and busy retries included')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the waves, their devices and the exact call; send nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;rollout;status' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Refresh interval with --watch')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Refresh until the rollout ends')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;rollout;list' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;rollout;pause' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;rollout;resume' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;rollout;abort' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;rollout;help' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Plan and run a rollout of a typed command (after `--`) in waves')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Waves, counts per outcome, failures and what is next (from the devices'' twin tags)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The rollouts kept on this machine')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Hold the running rollout before its next wave')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Continue a paused rollout, or run an interrupted one from where its devices'' tags say')
            [CompletionResult]::new('abort', 'abort', [CompletionResultType]::ParameterValue, 'Start nothing more: devices not reached stay untouched')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;rollout;help;start' {
            break
        }
        'dmctl;rollout;help;status' {
            break
        }
        'dmctl;rollout;help;list' {
            break
        }
        'dmctl;rollout;help;pause' {
            break
        }
        'dmctl;rollout;help;resume' {
            break
        }
        'dmctl;rollout;help;abort' {
            break
        }
        'dmctl;rollout;help;help' {
            break
        }
        'dmctl;plan' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The desired-state file (.toml, or .json)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The desired-state file (.toml, or .json)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Only devices that also match this query condition ("WHERE ..." or a bare condition)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Also write the plan, with the etags it was computed against, to FILE for `apply --plan`')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;apply' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The desired-state file (.toml, or .json)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The desired-state file (.toml, or .json)')
            [CompletionResult]::new('--plan', '--plan', [CompletionResultType]::ParameterName, 'Apply a plan written by `dmctl plan --out` (guarded by the etags it was computed against)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Only devices that also match this query condition ("WHERE ..." or a bare condition)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;wait' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The devices: an IoT Hub query condition ("WHERE ..." or a bare condition; "*" for all)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'The condition every targeted device must satisfy (evaluated by the hub)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (exit 6, listing the devices not there yet)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;audit' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only calls made in the last DURATION (30m, 2h, 7d)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Only calls about this device')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Check the hash chain; exit 1 naming the first line that was edited, deleted or added')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;hub' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the local IoT Hub (HTTPS REST + MQTT) until Ctrl-C or SIGTERM')
            [CompletionResult]::new('connection-string', 'connection-string', [CompletionResultType]::ParameterValue, 'Print a connection string for the local hub in a data directory (no server needed)')
            [CompletionResult]::new('container-sas', 'container-sas', [CompletionResultType]::ParameterValue, 'Print a SAS URI for a blob container of the local hub''s own storage, for import/export jobs (`az iot hub device-identity export --bcu URI`) and storage clients')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;hub;serve' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (hub.db, ca.pem); default: the user''s data dir, dmctl/hub (under sudo: the invoking user''s)')
            [CompletionResult]::new('--hostname', '--hostname', [CompletionResultType]::ParameterName, 'Host name clients use (in tokens and the server certificate) [default: the one the hub last served, else localhost]')
            [CompletionResult]::new('--https-port', '--https-port', [CompletionResultType]::ParameterName, 'HTTPS port (REST API and MQTT over WebSocket) [default: the one the hub last served, else 443]')
            [CompletionResult]::new('--mqtt-port', '--mqtt-port', [CompletionResultType]::ParameterName, 'MQTT over TLS port [default: the one the hub last served, else 8883]')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to listen on (127.0.0.1 keeps the hub private to this machine)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections each listener holds at once; more wait until one closes')
            [CompletionResult]::new('--configuration-interval', '--configuration-interval', [CompletionResultType]::ParameterName, 'How often automatic device management configurations are evaluated (a real hub takes up to 5 minutes); a configuration change also starts a pass at once')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--throttling', '--throttling', [CompletionResultType]::ParameterName, 'Simulate the S1 tier''s throttling (429 after a backlog)')
            [CompletionResult]::new('--allow-insecure-permissions', '--allow-insecure-permissions', [CompletionResultType]::ParameterName, 'Start even if other users can enter the data directory (it holds every key)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;hub;connection-string' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (hub.db, ca.pem); default: the user''s data dir, dmctl/hub (under sudo: the invoking user''s)')
            [CompletionResult]::new('--hostname', '--hostname', [CompletionResultType]::ParameterName, 'Host name clients use (in tokens and the server certificate) [default: the one the hub last served, else localhost]')
            [CompletionResult]::new('--https-port', '--https-port', [CompletionResultType]::ParameterName, 'HTTPS port (REST API and MQTT over WebSocket) [default: the one the hub last served, else 443]')
            [CompletionResult]::new('--mqtt-port', '--mqtt-port', [CompletionResultType]::ParameterName, 'MQTT over TLS port [default: the one the hub last served, else 8883]')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Shared access policy for a service connection string')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'A device connection string instead (with the gateway host for MQTT)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Register the device first if it does not exist')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;hub;container-sas' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (hub.db, ca.pem); default: the user''s data dir, dmctl/hub (under sudo: the invoking user''s)')
            [CompletionResult]::new('--hostname', '--hostname', [CompletionResultType]::ParameterName, 'Host name clients use (in tokens and the server certificate) [default: the one the hub last served, else localhost]')
            [CompletionResult]::new('--https-port', '--https-port', [CompletionResultType]::ParameterName, 'HTTPS port (REST API and MQTT over WebSocket) [default: the one the hub last served, else 443]')
            [CompletionResult]::new('--mqtt-port', '--mqtt-port', [CompletionResultType]::ParameterName, 'MQTT over TLS port [default: the one the hub last served, else 8883]')
            [CompletionResult]::new('--permissions', '--permissions', [CompletionResultType]::ParameterName, 'Permissions the SAS grants, letters of `racwdl` (an export needs w, an import''s input r)')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'How long the SAS stays valid')
            [CompletionResult]::new('--blob', '--blob', [CompletionResultType]::ParameterName, 'Print the URI of this blob in the container instead of the container''s')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;hub;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the local IoT Hub (HTTPS REST + MQTT) until Ctrl-C or SIGTERM')
            [CompletionResult]::new('connection-string', 'connection-string', [CompletionResultType]::ParameterValue, 'Print a connection string for the local hub in a data directory (no server needed)')
            [CompletionResult]::new('container-sas', 'container-sas', [CompletionResultType]::ParameterValue, 'Print a SAS URI for a blob container of the local hub''s own storage, for import/export jobs (`az iot hub device-identity export --bcu URI`) and storage clients')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;hub;help;serve' {
            break
        }
        'dmctl;hub;help;connection-string' {
            break
        }
        'dmctl;hub;help;container-sas' {
            break
        }
        'dmctl;hub;help;help' {
            break
        }
        'dmctl;simulate' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many devices')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many devices')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Device ids are PREFIX1, PREFIX2, ...')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'Where the devices open MQTT when it is not the hub''s host, e.g. localhost:8883 for a local hub whose HTTPS port is not 443')
            [CompletionResult]::new('--sandbox-dir', '--sandbox-dir', [CompletionResultType]::ParameterName, 'Where the simulated devices keep their sandboxes (default: a temporary directory)')
            [CompletionResult]::new('--fail', '--fail', [CompletionResultType]::ParameterName, 'Make PERCENT of the devices (the same ones every run, by a hash of their id) fail METHOD: the operation ends failed, or =409 answers busy, or =timeout never answers (repeatable), e.g. --fail dm.apps.install:10 --fail dm.reboot=409:5')
            [CompletionResult]::new('--trusted-key', '--trusted-key', [CompletionResultType]::ParameterName, 'A publisher key the devices trust (minisign public key `RW…` or raw Ed25519 key in base64; repeatable): artefacts then need a signature by one of them')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Register devices that do not exist yet')
            [CompletionResult]::new('--allow-http-artifacts', '--allow-http-artifacts', [CompletionResultType]::ParameterName, 'Let the devices download artefacts over plain http (like `artifacts.allow_http` in dm-agent''s configuration; default: https only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;demo' {
            [CompletionResult]::new('--devices', '--devices', [CompletionResultType]::ParameterName, 'How many simulated devices')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;profile' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Save a hub connection: the --hub string, or a local hub''s data directory')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List saved profiles')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a profile the default')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;profile;add' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'A local hub''s data directory: its CA is trusted and its connection string read at use')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name and port of the local hub (with --data-dir)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Shared access policy of the local hub (with --data-dir)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--from-stdin', '--from-stdin', [CompletionResultType]::ParameterName, 'Read the connection string from stdin (keeps it out of shell history)')
            [CompletionResult]::new('--use', '--use', [CompletionResultType]::ParameterName, 'Make it the default profile')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing profile of that name')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;profile;list' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;profile;use' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;profile;remove' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;profile;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Save a hub connection: the --hub string, or a local hub''s data directory')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List saved profiles')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a profile the default')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;profile;help;add' {
            break
        }
        'dmctl;profile;help;list' {
            break
        }
        'dmctl;profile;help;use' {
            break
        }
        'dmctl;profile;help;remove' {
            break
        }
        'dmctl;profile;help;help' {
            break
        }
        'dmctl;completions' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub connection string (a shared access policy of the hub)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from the config file to use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (hub tracking ids, causes); repeat for debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners or bars')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed for destructive operations on several devices)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmctl;help' {
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'Device identities: list, show, create, delete, enable, disable, keys')
            [CompletionResult]::new('twin', 'twin', [CompletionResultType]::ParameterValue, 'Device twins: show, patch, replace, diff desired vs reported, watch')
            [CompletionResult]::new('method', 'method', [CompletionResultType]::ParameterValue, 'Direct methods: invoke on one device or a fleet')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Run an IoT Hub query (all pages, or --top)')
            [CompletionResult]::new('job', 'job', [CompletionResultType]::ParameterValue, 'Scheduled jobs: create, show, list, cancel, wait')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Automatic device management: configurations the hub keeps applied to matching devices')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The fleet at a glance: connection, agent, operations, leases, compliance (exit 10 if any device is not connected and in sync)')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'A full-screen fleet dashboard in the terminal: browse, filter, inspect, act')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a SAS token signed locally with the connection string''s key (no network)')
            [CompletionResult]::new('reboot', 'reboot', [CompletionResultType]::ParameterValue, 'Reboot now, later, or on a schedule')
            [CompletionResult]::new('factory-reset', 'factory-reset', [CompletionResultType]::ParameterValue, 'Reset a device to factory state (asks for the device id)')
            [CompletionResult]::new('apps', 'apps', [CompletionResultType]::ParameterValue, 'Applications: list, install, remove, start, stop, restart, enable, disable')
            [CompletionResult]::new('updates', 'updates', [CompletionResultType]::ParameterValue, 'OS updates: show, policy, approve, scan, install')
            [CompletionResult]::new('certs', 'certs', [CompletionResultType]::ParameterValue, 'Certificates: list, install, remove, show')
            [CompletionResult]::new('time', 'time', [CompletionResultType]::ParameterValue, 'Device time: show, set time zone and NTP')
            [CompletionResult]::new('wifi', 'wifi', [CompletionResultType]::ParameterValue, 'Wi-Fi profiles: list, add, remove')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Device logs: collect')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Device information and health')
            [CompletionResult]::new('report-all', 'report-all', [CompletionResultType]::ParameterValue, 'Ask the agent to report every section again')
            [CompletionResult]::new('busy', 'busy', [CompletionResultType]::ParameterValue, 'Busy leases held by applications on the device')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'The dm agent itself: update')
            [CompletionResult]::new('ops', 'ops', [CompletionResultType]::ParameterValue, 'Operations on devices: list, show, wait for, cancel (resume after Ctrl-C or --timeout)')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Staged rollouts of a typed command: canary, waves, automatic stop, pause/resume')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show what a desired-state file would change on each device''s twin (nothing is written)')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply a desired-state file: patch only what differs, guarded by each twin''s etag')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until every device of a target satisfies a query condition')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit trail of every call that changed something: show it, or verify its chain')
            [CompletionResult]::new('hub', 'hub', [CompletionResultType]::ParameterValue, 'The local IoT Hub: serve, connection-string')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Run simulated devices with the dm agent against a hub')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'A tour of dmctl on a local hub with simulated devices (no Azure account needed)')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'Saved hub connections: add, list, use, remove')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmctl;help;device' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List devices (all pages of the registry query)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one device identity (keys are not shown; see `device keys`)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Register a device')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete devices')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Allow a device to connect')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Refuse a device''s connections')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Print a device''s symmetric keys, or regenerate one')
            [CompletionResult]::new('connection-string', 'connection-string', [CompletionResultType]::ParameterValue, 'Print a device''s connection string')
            break
        }
        'dmctl;help;device;list' {
            break
        }
        'dmctl;help;device;show' {
            break
        }
        'dmctl;help;device;create' {
            break
        }
        'dmctl;help;device;delete' {
            break
        }
        'dmctl;help;device;enable' {
            break
        }
        'dmctl;help;device;disable' {
            break
        }
        'dmctl;help;device;keys' {
            break
        }
        'dmctl;help;device;connection-string' {
            break
        }
        'dmctl;help;twin' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a device or module twin')
            [CompletionResult]::new('patch', 'patch', [CompletionResultType]::ParameterValue, 'Patch desired properties and/or tags (one device or a fleet)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Replace a twin''s desired properties and tags as a whole')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare desired with reported properties')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print changes to a twin as they happen, until Ctrl-C')
            break
        }
        'dmctl;help;twin;show' {
            break
        }
        'dmctl;help;twin;patch' {
            break
        }
        'dmctl;help;twin;replace' {
            break
        }
        'dmctl;help;twin;diff' {
            break
        }
        'dmctl;help;twin;watch' {
            break
        }
        'dmctl;help;method' {
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a direct method and print `{"status": ..., "payload": ...}`')
            break
        }
        'dmctl;help;method;invoke' {
            break
        }
        'dmctl;help;query' {
            break
        }
        'dmctl;help;job' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Schedule a direct method or a twin update on the devices matching a condition')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a job')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List jobs')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a job')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a job has finished')
            break
        }
        'dmctl;help;job;create' {
            break
        }
        'dmctl;help;job;show' {
            break
        }
        'dmctl;help;job;list' {
            break
        }
        'dmctl;help;job;cancel' {
            break
        }
        'dmctl;help;job;wait' {
            break
        }
        'dmctl;help;config' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a configuration: desired properties the hub writes to every matching device')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List configurations with their targeted and applied counts')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a configuration')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a configuration''s target condition, priority, labels or metrics (its content cannot change)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a configuration (devices keep the desired values it wrote)')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Show a configuration''s metrics: targeted, applied and custom counts')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show which devices the configuration in FILE would target and what their desired properties become, without writing anything')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create or update the configuration in FILE, after showing its plan')
            break
        }
        'dmctl;help;config;create' {
            break
        }
        'dmctl;help;config;list' {
            break
        }
        'dmctl;help;config;show' {
            break
        }
        'dmctl;help;config;update' {
            break
        }
        'dmctl;help;config;delete' {
            break
        }
        'dmctl;help;config;metrics' {
            break
        }
        'dmctl;help;config;plan' {
            break
        }
        'dmctl;help;config;apply' {
            break
        }
        'dmctl;help;status' {
            break
        }
        'dmctl;help;dashboard' {
            break
        }
        'dmctl;help;token' {
            break
        }
        'dmctl;help;reboot' {
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Set or clear scheduled reboots (desired.dm.reboot.schedule)')
            break
        }
        'dmctl;help;reboot;schedule' {
            break
        }
        'dmctl;help;factory-reset' {
            break
        }
        'dmctl;help;apps' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List systemd units and OS packages (dm.apps.list)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install a package from a URL, checked by its SHA-256 (dm.apps.install)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Stop and remove an app (dm.apps.remove)')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start an app''s unit (dm.apps.start)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop an app''s unit (dm.apps.stop)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart an app''s unit (dm.apps.restart)')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Start an app at boot (dm.apps.enable)')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Do not start an app at boot (dm.apps.disable)')
            break
        }
        'dmctl;help;apps;list' {
            break
        }
        'dmctl;help;apps;install' {
            break
        }
        'dmctl;help;apps;remove' {
            break
        }
        'dmctl;help;apps;start' {
            break
        }
        'dmctl;help;apps;stop' {
            break
        }
        'dmctl;help;apps;restart' {
            break
        }
        'dmctl;help;apps;enable' {
            break
        }
        'dmctl;help;apps;disable' {
            break
        }
        'dmctl;help;updates' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the update policy, the last scan and available updates (reported.dm.updates)')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Set the update policy (desired.dm.updates.policy)')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve packages for automatic install (desired.dm.updates.approved)')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Refresh the list of available updates (dm.updates.scan)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install updates now (dm.updates.install)')
            break
        }
        'dmctl;help;updates;show' {
            break
        }
        'dmctl;help;updates;policy' {
            break
        }
        'dmctl;help;updates;approve' {
            break
        }
        'dmctl;help;updates;scan' {
            break
        }
        'dmctl;help;updates;install' {
            break
        }
        'dmctl;help;certs' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List certificates, including the OS''s own CA bundle (dm.certificates.list)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install a CA or client certificate (dm.certificates.install)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a certificate by thumbprint (dm.certificates.remove)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one certificate with its PEM (dm.certificates.show)')
            break
        }
        'dmctl;help;certs;list' {
            break
        }
        'dmctl;help;certs;install' {
            break
        }
        'dmctl;help;certs;remove' {
            break
        }
        'dmctl;help;certs;show' {
            break
        }
        'dmctl;help;time' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The device''s clock, time zone and NTP servers (dm.time.get)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set the time zone and/or NTP servers (desired.dm.time)')
            break
        }
        'dmctl;help;time;show' {
            break
        }
        'dmctl;help;time;set' {
            break
        }
        'dmctl;help;wifi' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List Wi-Fi profiles (dm.wifi.list)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a profile, or replace the one with the same SSID (dm.wifi.add)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove profiles by id or SSID (dm.wifi.remove)')
            break
        }
        'dmctl;help;wifi;list' {
            break
        }
        'dmctl;help;wifi;add' {
            break
        }
        'dmctl;help;wifi;remove' {
            break
        }
        'dmctl;help;logs' {
            [CompletionResult]::new('collect', 'collect', [CompletionResultType]::ParameterValue, 'Collect journal entries and log files (dm.diagnostics.collect)')
            break
        }
        'dmctl;help;logs;collect' {
            break
        }
        'dmctl;help;info' {
            break
        }
        'dmctl;help;report-all' {
            break
        }
        'dmctl;help;busy' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Busy leases held on the device now (reported.dm.busy)')
            break
        }
        'dmctl;help;busy;show' {
            break
        }
        'dmctl;help;agent' {
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Replace the dm agent on the device with another version and restart it (dm.agent.update)')
            break
        }
        'dmctl;help;agent;update' {
            break
        }
        'dmctl;help;ops' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every operation the agent reports, in every section (id, op, section, state, times, error)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One operation''s whole envelope')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Follow operations to their final state, sending nothing (exit codes as --wait)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Ask the agent to cancel a pending or postponed operation')
            break
        }
        'dmctl;help;ops;list' {
            break
        }
        'dmctl;help;ops;show' {
            break
        }
        'dmctl;help;ops;wait' {
            break
        }
        'dmctl;help;ops;cancel' {
            break
        }
        'dmctl;help;rollout' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Plan and run a rollout of a typed command (after `--`) in waves')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Waves, counts per outcome, failures and what is next (from the devices'' twin tags)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The rollouts kept on this machine')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Hold the running rollout before its next wave')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Continue a paused rollout, or run an interrupted one from where its devices'' tags say')
            [CompletionResult]::new('abort', 'abort', [CompletionResultType]::ParameterValue, 'Start nothing more: devices not reached stay untouched')
            break
        }
        'dmctl;help;rollout;start' {
            break
        }
        'dmctl;help;rollout;status' {
            break
        }
        'dmctl;help;rollout;list' {
            break
        }
        'dmctl;help;rollout;pause' {
            break
        }
        'dmctl;help;rollout;resume' {
            break
        }
        'dmctl;help;rollout;abort' {
            break
        }
        'dmctl;help;plan' {
            break
        }
        'dmctl;help;apply' {
            break
        }
        'dmctl;help;wait' {
            break
        }
        'dmctl;help;audit' {
            break
        }
        'dmctl;help;hub' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the local IoT Hub (HTTPS REST + MQTT) until Ctrl-C or SIGTERM')
            [CompletionResult]::new('connection-string', 'connection-string', [CompletionResultType]::ParameterValue, 'Print a connection string for the local hub in a data directory (no server needed)')
            [CompletionResult]::new('container-sas', 'container-sas', [CompletionResultType]::ParameterValue, 'Print a SAS URI for a blob container of the local hub''s own storage, for import/export jobs (`az iot hub device-identity export --bcu URI`) and storage clients')
            break
        }
        'dmctl;help;hub;serve' {
            break
        }
        'dmctl;help;hub;connection-string' {
            break
        }
        'dmctl;help;hub;container-sas' {
            break
        }
        'dmctl;help;simulate' {
            break
        }
        'dmctl;help;demo' {
            break
        }
        'dmctl;help;profile' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Save a hub connection: the --hub string, or a local hub''s data directory')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List saved profiles')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a profile the default')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a profile')
            break
        }
        'dmctl;help;profile;add' {
            break
        }
        'dmctl;help;profile;list' {
            break
        }
        'dmctl;help;profile;use' {
            break
        }
        'dmctl;help;profile;remove' {
            break
        }
        'dmctl;help;completions' {
            break
        }
        'dmctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
