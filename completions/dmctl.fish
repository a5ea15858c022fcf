# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dmctl_global_optspecs
    string join \n hub= profile= ca-file= o/output= v/verbose q/quiet no-progress y/yes h/help V/version
end

function __fish_dmctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dmctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dmctl_using_subcommand
    set -l cmd (__fish_dmctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dmctl -n "__fish_dmctl_needs_command" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_needs_command" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_needs_command" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_needs_command" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_needs_command" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_needs_command" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_needs_command" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_needs_command" -s V -l version -d 'Print version'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "device" -d 'Device identities: list, show, create, delete, enable, disable, keys'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "twin" -d 'Device twins: show, patch, replace, diff desired vs reported, watch'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "method" -d 'Direct methods: invoke on one device or a fleet'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "query" -d 'Run an IoT Hub query (all pages, or --top)'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "job" -d 'Scheduled jobs: create, show, list, cancel, wait'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "config" -d 'Automatic device management: configurations the hub keeps applied to matching devices'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "status" -d 'The fleet at a glance: connection, agent, operations, leases, compliance (exit 10 if any device is not connected and in sync)'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "dashboard" -d 'A full-screen fleet dashboard in the terminal: browse, filter, inspect, act'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "token" -d 'Print a SAS token signed locally with the connection string\'s key (no network)'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "reboot" -d 'Reboot now, later, or on a schedule'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "factory-reset" -d 'Reset a device to factory state (asks for the device id)'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "apps" -d 'Applications: list, install, remove, start, stop, restart, enable, disable'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "updates" -d 'OS updates: show, policy, approve, scan, install'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "certs" -d 'Certificates: list, install, remove, show'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "time" -d 'Device time: show, set time zone and NTP'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "wifi" -d 'Wi-Fi profiles: list, add, remove'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "logs" -d 'Device logs: collect'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "info" -d 'Device information and health'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "report-all" -d 'Ask the agent to report every section again'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "busy" -d 'Busy leases held by applications on the device'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "agent" -d 'The dm agent itself: update'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "ops" -d 'Operations on devices: list, show, wait for, cancel (resume after Ctrl-C or --timeout)'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "rollout" -d 'Staged rollouts of a typed command: canary, waves, automatic stop, pause/resume'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "plan" -d 'Show what a desired-state file would change on each device\'s twin (nothing is written)'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "apply" -d 'Apply a desired-state file: patch only what differs, guarded by each twin\'s etag'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "wait" -d 'Wait until every device of a target satisfies a query condition'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "audit" -d 'The audit trail of every call that changed something: show it, or verify its chain'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "hub" -d 'The local IoT Hub: serve, connection-string'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "simulate" -d 'Run simulated devices with the dm agent against a hub'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "demo" -d 'A tour of dmctl on a local hub with simulated devices (no Azure account needed)'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "profile" -d 'Saved hub connections: add, list, use, remove'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c dmctl -n "__fish_dmctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -f -a "list" -d 'List devices (all pages of the registry query)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -f -a "show" -d 'Show one device identity (keys are not shown; see `device keys`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -f -a "create" -d 'Register a device'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -f -a "delete" -d 'Delete devices'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -f -a "enable" -d 'Allow a device to connect'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -f -a "disable" -d 'Refuse a device\'s connections'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -f -a "keys" -d 'Print a device\'s symmetric keys, or regenerate one'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -f -a "connection-string" -d 'Print a device\'s connection string'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and not __fish_seen_subcommand_from list show create delete enable disable keys connection-string help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -l top -d 'Stop after this many devices' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -l where -d 'Only devices matching this query condition, e.g. "status = \'disabled\'"' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from show" -s d -l device -d 'Device id (the same as the positional DEVICE)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from show" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from show" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from show" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from show" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -l x509 -d 'Authenticate with self-signed X.509 certificates of these thumbprints instead of keys' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -l disabled -d 'Register the device as disabled'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -l edge -d 'Mark the device as an IoT Edge device'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from delete" -l etag -d 'Delete only if the identity\'s etag still matches' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from delete" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from delete" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from delete" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from delete" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -s d -l device -d 'Device id (the same as the positional DEVICE)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -l reason -d 'Why (stored as the device\'s status reason)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -s d -l device -d 'Device id (the same as the positional DEVICE)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -l reason -d 'Why (stored as the device\'s status reason)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -s d -l device -d 'Device id (the same as the positional DEVICE)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -l regenerate -d 'Replace this key with a new random one first' -r -f -a "primary\t'The primary key'
secondary\t'The secondary key'"
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from keys" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -s d -l device -d 'Device id (the same as the positional DEVICE)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -l gateway -d 'Add the gateway host devices open MQTT to (e.g. localhost:8883 for a local hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -l secondary -d 'Use the secondary key'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from connection-string" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "list" -d 'List devices (all pages of the registry query)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one device identity (keys are not shown; see `device keys`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "create" -d 'Register a device'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete devices'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Allow a device to connect'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Refuse a device\'s connections'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "keys" -d 'Print a device\'s symmetric keys, or regenerate one'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "connection-string" -d 'Print a device\'s connection string'
complete -c dmctl -n "__fish_dmctl_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -f -a "show" -d 'Show a device or module twin'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -f -a "patch" -d 'Patch desired properties and/or tags (one device or a fleet)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -f -a "replace" -d 'Replace a twin\'s desired properties and tags as a whole'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -f -a "diff" -d 'Compare desired with reported properties'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -f -a "watch" -d 'Print changes to a twin as they happen, until Ctrl-C'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and not __fish_seen_subcommand_from show patch replace diff watch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -s d -l device -d 'Device id (the same as the positional DEVICE)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -l module -d 'Module id (for a module twin)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l desired -d 'Desired-properties patch: JSON, @FILE, or - for stdin (null deletes a key)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l tags -d 'Tags patch: JSON, @FILE, or - for stdin' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l etag -d 'Apply only if the twin\'s etag still matches (one device only)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from patch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -s d -l device -d 'Device id (the same as the positional DEVICE)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -l twin -d 'The new twin `{"tags": {...}, "properties": {"desired": {...}}}`: JSON, @FILE, or -' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -l etag -d 'Replace only if the twin\'s etag still matches' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from replace" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -s d -l device -d 'Device id (the same as the positional DEVICE)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -l module -d 'Module id (for a module twin)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -l path -d 'Only properties under this dotted path, e.g. dm.reboot' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -l all -d 'Also list properties that are in sync'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -l exit-code -d 'Exit 1 when a desired property differs from (or is not yet) reported, 0 when in sync'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -s d -l device -d 'Device id (the same as the positional DEVICE)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -l module -d 'Module id (for a module twin)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -l interval -d 'How often to read the twin' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a device or module twin'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from help" -f -a "patch" -d 'Patch desired properties and/or tags (one device or a fleet)'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from help" -f -a "replace" -d 'Replace a twin\'s desired properties and tags as a whole'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare desired with reported properties'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Print changes to a twin as they happen, until Ctrl-C'
complete -c dmctl -n "__fish_dmctl_using_subcommand twin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -f -a "invoke" -d 'Invoke a direct method and print `{"status": ..., "payload": ...}`'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and not __fish_seen_subcommand_from invoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -s n -l name -d 'Method name' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -s p -l payload -d 'Payload: JSON, @FILE, or - for stdin (default: null)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l module -d 'Call a module\'s method instead of the device\'s' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300; default 30)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; default 0: must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from invoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from help" -f -a "invoke" -d 'Invoke a direct method and print `{"status": ..., "payload": ...}`'
complete -c dmctl -n "__fish_dmctl_using_subcommand method; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -l top -d 'Stop after this many items' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -l page-size -d 'Items per request (the hub caps it at 1000)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand query" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -f -a "create" -d 'Schedule a direct method or a twin update on the devices matching a condition'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -f -a "show" -d 'Show a job'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -f -a "list" -d 'List jobs'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -f -a "cancel" -d 'Cancel a job'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -f -a "wait" -d 'Wait until a job has finished'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and not __fish_seen_subcommand_from create show list cancel wait help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l id -d 'Job id (default: a new random id)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l query -d 'Devices: a query condition, e.g. "tags.site = \'lab\'", or * for all' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l method -d 'Invoke this direct method' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l payload -d 'Method payload: JSON, @FILE, or -' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l response-timeout -d 'Seconds each device has to answer the method (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l connect-timeout -d 'Seconds to wait for each device to connect (0-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l desired -d 'Patch desired properties: JSON, @FILE, or -' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l tags -d 'Patch tags: JSON, @FILE, or -' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l start -d 'Start at this time (RFC 3339, e.g. 2026-03-01T02:00:00Z) instead of now' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l max-execution-time -d 'How long the job may run' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l timeout -d 'Give up waiting after this long (with --wait)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l wait -d 'Wait until the job has finished'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from show" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from show" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from show" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from show" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -l type -d 'Only jobs of this type' -r -f -a "method\t'Direct-method jobs'
twin\t'Twin-update jobs'"
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -l status -d 'Only jobs in this state' -r -f -a "queued\t'Waiting to run'
scheduled\t'Waiting for their start time'
running\t'Running'
completed\t'Finished'
failed\t'Failed'
cancelled\t'Cancelled'"
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from cancel" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from cancel" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from cancel" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from cancel" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from cancel" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from cancel" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from cancel" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from cancel" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from wait" -l timeout -d 'Give up after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from wait" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from wait" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from wait" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from wait" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from wait" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from wait" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from wait" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from wait" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "create" -d 'Schedule a direct method or a twin update on the devices matching a condition'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a job'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "list" -d 'List jobs'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "cancel" -d 'Cancel a job'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Wait until a job has finished'
complete -c dmctl -n "__fish_dmctl_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -f -a "create" -d 'Create a configuration: desired properties the hub writes to every matching device'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -f -a "list" -d 'List configurations with their targeted and applied counts'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -f -a "show" -d 'Show a configuration'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -f -a "update" -d 'Change a configuration\'s target condition, priority, labels or metrics (its content cannot change)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -f -a "delete" -d 'Delete a configuration (devices keep the desired values it wrote)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -f -a "metrics" -d 'Show a configuration\'s metrics: targeted, applied and custom counts'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -f -a "plan" -d 'Show which devices the configuration in FILE would target and what their desired properties become, without writing anything'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -f -a "apply" -d 'Create or update the configuration in FILE, after showing its plan'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and not __fish_seen_subcommand_from create list show update delete metrics plan apply help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l target-condition -d 'The devices: a query condition, e.g. "tags.site = \'lab\'", or * for all' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l priority -d 'Higher wins where configurations overlap (ties go to the newer one)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l desired -d 'A desired property to set: PATH=VALUE, PATH under properties.desired, VALUE as JSON or else as text (repeatable)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l content -d 'The whole content: {"deviceContent": {"properties.desired.x": ...}} as JSON, @FILE or -' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l label -d 'A label KEY=VALUE (repeatable)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l metric -d 'A custom metric NAME=QUERY, e.g. done="SELECT deviceId FROM devices WHERE ..." (repeatable, at most 5)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l timeout -d 'Give up waiting after this long (exit 6; default 10m, a real hub evaluates every 5m)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l wait -d 'Wait until every targeted device has the configuration applied'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from list" -l top -d 'At most this many' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from list" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from list" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from list" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from list" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from show" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from show" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from show" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l target-condition -d 'A new target condition' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l priority -d 'A new priority' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l label -d 'Set a label KEY=VALUE (repeatable)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l remove-label -d 'Remove a label (repeatable)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l metric -d 'Set a custom metric NAME=QUERY (repeatable)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l remove-metric -d 'Remove a custom metric (repeatable)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l etag -d 'Only if the configuration\'s etag is still this one' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l timeout -d 'Give up waiting after this long (exit 6; default 10m, a real hub evaluates every 5m)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l wait -d 'Wait until every targeted device has the configuration applied'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from delete" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from delete" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from delete" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from delete" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from metrics" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from metrics" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from metrics" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from metrics" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from metrics" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from metrics" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from metrics" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from metrics" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from metrics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from plan" -s f -l file -d 'The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels", "metrics"} (- reads stdin)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from plan" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from plan" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from plan" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from plan" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from plan" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from plan" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from plan" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from plan" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -s f -l file -d 'The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels", "metrics"} (- reads stdin)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -l timeout -d 'Give up waiting after this long (exit 6; default 10m, a real hub evaluates every 5m)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -l wait -d 'Wait until every targeted device has the configuration applied'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a configuration: desired properties the hub writes to every matching device'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "list" -d 'List configurations with their targeted and applied counts'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a configuration'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a configuration\'s target condition, priority, labels or metrics (its content cannot change)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a configuration (devices keep the desired values it wrote)'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "metrics" -d 'Show a configuration\'s metrics: targeted, applied and custom counts'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "plan" -d 'Show which devices the configuration in FILE would target and what their desired properties become, without writing anything'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Create or update the configuration in FILE, after showing its plan'
complete -c dmctl -n "__fish_dmctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -l target -d 'Only the devices this query condition selects, e.g. "WHERE tags.site = \'lab\'" (default: every device)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -l interval -d 'How often --watch reads the fleet (each read costs two queries or more: one count, one per 1,000 devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -l watch -d 'Read and print again every --interval (redrawn in place on a terminal) until Ctrl-C'
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -l target -d 'Start filtered to the devices this query condition selects, e.g. "WHERE tags.site = \'lab\'" (change it with `/`)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -l interval -d 'How often the rows on screen (or the open device) are read again' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -l query-budget -d 'Queries per minute the dashboard may spend at most (one S1 unit allows 20 for every client of the hub together; each refresh costs 2)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -l page-size -d 'Devices read per query page (more are read as you scroll)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand dashboard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -s d -l device -d 'Scope the token to this device (`{host}/devices/{id}`); the policy needs device-connect permission' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -l module -d 'Scope the token to this module of the device' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -l ttl -d 'How long the token is valid' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -l expiry -d 'Expiry as Unix seconds instead of --ttl' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l in -d 'Reboot after this delay (at most 1 day), e.g. 5m' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l at -d 'Reboot at this time: RFC 3339 (2025-03-01T02:00:00Z) or HH:MM, the next such local time' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l reason -d 'Why (audited, reported as reboot.lastRebootReason)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l force -d 'Go ahead even if an application on the device holds a busy lease'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l postpone -d 'If a busy lease is held, run when it ends instead of failing with "busy"'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -a "schedule" -d 'Set or clear scheduled reboots (desired.dm.reboot.schedule)'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and not __fish_seen_subcommand_from schedule help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l single -d 'Reboot once at this instant (RFC 3339, e.g. 2025-03-01T02:00:00Z)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l daily -d 'Reboot every day at this local time (HH:MM)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l tz -d 'Time zone of --daily (IANA name, e.g. Europe/Paris; default: the device\'s)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l clear -d 'Remove every scheduled reboot'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from schedule" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from help" -f -a "schedule" -d 'Set or clear scheduled reboots (desired.dm.reboot.schedule)'
complete -c dmctl -n "__fish_dmctl_using_subcommand reboot; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l confirm -d 'The device id again, to confirm without a prompt (with --yes; one device only)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l clear-tpm -d 'Also clear the TPM (identity keys held there are lost)'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l wipe-data -d 'Also erase application data'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l force -d 'Go ahead even if an application on the device holds a busy lease'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l postpone -d 'If a busy lease is held, run when it ends instead of failing with "busy"'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand factory-reset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -f -a "list" -d 'List systemd units and OS packages (dm.apps.list)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -f -a "install" -d 'Install a package from a URL, checked by its SHA-256 (dm.apps.install)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -f -a "remove" -d 'Stop and remove an app (dm.apps.remove)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -f -a "start" -d 'Start an app\'s unit (dm.apps.start)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -f -a "stop" -d 'Stop an app\'s unit (dm.apps.stop)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -f -a "restart" -d 'Restart an app\'s unit (dm.apps.restart)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -f -a "enable" -d 'Start an app at boot (dm.apps.enable)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -f -a "disable" -d 'Do not start an app at boot (dm.apps.disable)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and not __fish_seen_subcommand_from list install remove start stop restart enable disable help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l kind -d 'Only units or only packages' -r -f -a "unit\t'systemd units'
package\t'OS packages'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l filter -d 'Only names containing this text (case-insensitive)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l limit -d 'At most this many entries (1-2000; default 500)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l url -d 'Where to download the package (https; http only where the device allows it; a signed URL\'s query is never printed)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l sha256 -d 'SHA-256 of the package file (64 hex digits)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l expect-version -d 'Fail unless the installed package reports this version' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l signature -d 'The publisher\'s minisign signature of the package: a .minisig file, or its text (needed by devices that trust publisher keys)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l no-enable -d 'Do not enable the app\'s unit at boot'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l no-start -d 'Do not start the app\'s unit after installing'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l allow-downgrade -d 'Install even when --expect-version is lower than the installed version (or cannot be compared with it)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l purge -d 'Also delete its configuration and data'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l force -d 'Go ahead even if an application on the device holds a busy lease'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l postpone -d 'If a busy lease is held, run when it ends instead of failing with "busy"'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l force -d 'Go ahead even if an application on the device holds a busy lease'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l postpone -d 'If a busy lease is held, run when it ends instead of failing with "busy"'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l force -d 'Go ahead even if an application on the device holds a busy lease'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l postpone -d 'If a busy lease is held, run when it ends instead of failing with "busy"'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from help" -f -a "list" -d 'List systemd units and OS packages (dm.apps.list)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from help" -f -a "install" -d 'Install a package from a URL, checked by its SHA-256 (dm.apps.install)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Stop and remove an app (dm.apps.remove)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start an app\'s unit (dm.apps.start)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop an app\'s unit (dm.apps.stop)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Restart an app\'s unit (dm.apps.restart)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Start an app at boot (dm.apps.enable)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Do not start an app at boot (dm.apps.disable)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apps; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -f -a "show" -d 'Show the update policy, the last scan and available updates (reported.dm.updates)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -f -a "policy" -d 'Set the update policy (desired.dm.updates.policy)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -f -a "approve" -d 'Approve packages for automatic install (desired.dm.updates.approved)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -f -a "scan" -d 'Refresh the list of available updates (dm.updates.scan)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -f -a "install" -d 'Install updates now (dm.updates.install)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and not __fish_seen_subcommand_from show policy approve scan install help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from policy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l replace -d 'Make these the whole approved list instead of adding them'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from scan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l reboot-if-required -d 'Reboot afterwards when an update needs it'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l force -d 'Go ahead even if an application on the device holds a busy lease'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l postpone -d 'If a busy lease is held, run when it ends instead of failing with "busy"'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the update policy, the last scan and available updates (reported.dm.updates)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from help" -f -a "policy" -d 'Set the update policy (desired.dm.updates.policy)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from help" -f -a "approve" -d 'Approve packages for automatic install (desired.dm.updates.approved)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from help" -f -a "scan" -d 'Refresh the list of available updates (dm.updates.scan)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from help" -f -a "install" -d 'Install updates now (dm.updates.install)'
complete -c dmctl -n "__fish_dmctl_using_subcommand updates; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -f -a "list" -d 'List certificates, including the OS\'s own CA bundle (dm.certificates.list)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -f -a "install" -d 'Install a CA or client certificate (dm.certificates.install)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -f -a "remove" -d 'Remove a certificate by thumbprint (dm.certificates.remove)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -f -a "show" -d 'Show one certificate with its PEM (dm.certificates.show)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and not __fish_seen_subcommand_from list install remove show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l store -d 'Only this store' -r -f -a "trust\t'CA certificates the device trusts'
client\t'The device\'s own certificates, with their keys'"
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l store -d 'The store' -r -f -a "trust\t'CA certificates the device trusts'
client\t'The device\'s own certificates, with their keys'"
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l url -d 'Download the certificate from this URL (with --sha256)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l sha256 -d 'SHA-256 of the downloaded file' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l pem -d 'A PEM file to send inline (\'-\' reads stdin); for a client certificate, with its key' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l signature -d 'The publisher\'s minisign signature of the certificate file (--url\'s file or the --pem file): a .minisig file, or its text (needed when the device trusts publisher keys)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l store -d 'The store' -r -f -a "trust\t'CA certificates the device trusts'
client\t'The device\'s own certificates, with their keys'"
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l store -d 'The store' -r -f -a "trust\t'CA certificates the device trusts'
client\t'The device\'s own certificates, with their keys'"
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "list" -d 'List certificates, including the OS\'s own CA bundle (dm.certificates.list)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "install" -d 'Install a CA or client certificate (dm.certificates.install)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a certificate by thumbprint (dm.certificates.remove)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one certificate with its PEM (dm.certificates.show)'
complete -c dmctl -n "__fish_dmctl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -f -a "show" -d 'The device\'s clock, time zone and NTP servers (dm.time.get)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -f -a "set" -d 'Set the time zone and/or NTP servers (desired.dm.time)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and not __fish_seen_subcommand_from show set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l tz -d 'IANA time zone, e.g. Europe/Paris' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l ntp -d 'NTP server (repeat for several, in order of preference; replaces the list)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from help" -f -a "show" -d 'The device\'s clock, time zone and NTP servers (dm.time.get)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set the time zone and/or NTP servers (desired.dm.time)'
complete -c dmctl -n "__fish_dmctl_using_subcommand time; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -f -a "list" -d 'List Wi-Fi profiles (dm.wifi.list)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -f -a "add" -d 'Add a profile, or replace the one with the same SSID (dm.wifi.add)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -f -a "remove" -d 'Remove profiles by id or SSID (dm.wifi.remove)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and not __fish_seen_subcommand_from list add remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l security -d 'Security mode' -r -f -a "open\t'No encryption'
wpa2-psk\t'WPA2 personal'
wpa3-sae\t'WPA3 personal'"
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l passphrase-file -d 'Read the passphrase from FILE (\'-\': stdin); without it dmctl prompts on a terminal. It is never taken from the command line and never printed' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l priority -d 'Preference among profiles (-999 to 999; higher wins)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l hidden -d 'The network does not broadcast its SSID'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l no-auto-connect -d 'Do not connect automatically'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l id -d 'The profile id (see `wifi list`)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l ssid -d 'Every profile of this SSID' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from help" -f -a "list" -d 'List Wi-Fi profiles (dm.wifi.list)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a profile, or replace the one with the same SSID (dm.wifi.add)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove profiles by id or SSID (dm.wifi.remove)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wifi; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -f -a "collect" -d 'Collect journal entries and log files (dm.diagnostics.collect)'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and not __fish_seen_subcommand_from collect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l since -d 'Only entries from this long ago on, e.g. 1h' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l unit -d 'Only this systemd unit\'s journal (repeat for several)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l path -d 'Also this log file or directory on the device (absolute; repeat for several)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l max-bytes -d 'Stop after this many bytes, newest kept (1024 to 67108864)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l out -d 'Write the logs to FILE (one device) or to DIR/DEVICE.log (several); an upload is followed to its end and fetched from the local hub (DIR/DEVICE.tar.gz)' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l no-journal -d 'Leave the journal out (only --path files)'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l upload -d 'Always upload through the hub\'s file upload instead of answering inline'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from collect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "collect" -d 'Collect journal entries and log files (dm.diagnostics.collect)'
complete -c dmctl -n "__fish_dmctl_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand report-all" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Busy leases held on the device now (reported.dm.busy)'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from help" -f -a "show" -d 'Busy leases held on the device now (reported.dm.busy)'
complete -c dmctl -n "__fish_dmctl_using_subcommand busy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -f -a "update" -d 'Replace the dm agent on the device with another version and restart it (dm.agent.update)'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and not __fish_seen_subcommand_from update help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l url -d 'Where to download the new agent binary (https; http only where the device allows it; a signed URL\'s query is never printed)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l sha256 -d 'SHA-256 of the binary (64 hex digits)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l version -d 'The version the new binary reports for --version; the agent refuses any other, and --wait checks the device\'s manifest shows it' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l signature -d 'The publisher\'s minisign signature of the binary: a .minisig file, or its text (needed by devices that trust publisher keys)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l start -d 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l allow-downgrade -d 'Install even when --version is lower than the running agent\'s (or cannot be compared with it)'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l dry-run -d 'Print the exact request for each device and send nothing (the twin is still read to check the device\'s manifest)'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l via-job -d 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device\'s result is read from the job\'s devices.jobs rows'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l wait -d 'Follow the operation in the reported twin until it succeeds or fails'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "update" -d 'Replace the dm agent on the device with another version and restart it (dm.agent.update)'
complete -c dmctl -n "__fish_dmctl_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -f -a "list" -d 'Every operation the agent reports, in every section (id, op, section, state, times, error)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -f -a "show" -d 'One operation\'s whole envelope'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -f -a "wait" -d 'Follow operations to their final state, sending nothing (exit codes as --wait)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -f -a "cancel" -d 'Ask the agent to cancel a pending or postponed operation'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and not __fish_seen_subcommand_from list show wait cancel help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -l section -d 'Only this section\'s operations (e.g. reboot, apps, time)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -l unfinished -d 'Only operations that have not finished (pending, running, postponed)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l section -d 'With --desired-version: the desired section whose change to follow' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l desired-version -d 'Follow the agent applying this desired $version of --section (what `--wait` follows after a desired-state change)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l timeout -d 'Give up waiting after this long (exit 6)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -s d -l device -d 'Device id (repeat for several devices)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -l devices-from -d 'Read device ids from FILE, one per line (\'-\' reads stdin; \'#\' starts a comment)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -l query -d 'Select devices with a query condition, e.g. "WHERE tags.site = \'lab\'" (all pages)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -l response-timeout -d 'Seconds the hub waits for the device\'s answer (5-300)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -l connect-timeout -d 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -l resume -d 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from help" -f -a "list" -d 'Every operation the agent reports, in every section (id, op, section, state, times, error)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from help" -f -a "show" -d 'One operation\'s whole envelope'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Follow operations to their final state, sending nothing (exit codes as --wait)'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from help" -f -a "cancel" -d 'Ask the agent to cancel a pending or postponed operation'
complete -c dmctl -n "__fish_dmctl_using_subcommand ops; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -f -a "start" -d 'Plan and run a rollout of a typed command (after `--`) in waves'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -f -a "status" -d 'Waves, counts per outcome, failures and what is next (from the devices\' twin tags)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -f -a "list" -d 'The rollouts kept on this machine'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -f -a "pause" -d 'Hold the running rollout before its next wave'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -f -a "resume" -d 'Continue a paused rollout, or run an interrupted one from where its devices\' tags say'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -f -a "abort" -d 'Start nothing more: devices not reached stay untouched'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and not __fish_seen_subcommand_from start status list pause resume abort help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l target -d 'The devices: a query condition, e.g. "WHERE tags.site = \'plant-4\'" (\'*\' for all)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l canary -d 'A first wave of this many devices (or share of them)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l waves -d 'Waves as cumulative shares of the target, e.g. 10%,25%,50%,100%' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l batch -d 'Waves of this many devices (or share of them) each' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l bake -d 'Wait this long between waves, then check the finished waves\' --success again' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l max-failures -d 'Stop when more devices than this have failed (a count, or a share of those started)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l success -d 'A device counts as succeeded only if it also matches this query condition, e.g. "properties.reported.dm.apps.web.version = \'2.1.0\'"' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l window -d 'Start waves only in this window, e.g. "Sat 02:00-04:00 Europe/Paris"' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l concurrency -d 'How many devices to work on at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l timeout -d 'How long one wave may take, waiting and busy retries included' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l dry-run -d 'Print the waves, their devices and the exact call; send nothing'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -l interval -d 'Refresh interval with --watch' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -l watch -d 'Refresh until the rollout ends'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from list" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from list" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from list" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from list" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from abort" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from abort" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from abort" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from abort" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from abort" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from abort" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from abort" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from abort" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from abort" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "start" -d 'Plan and run a rollout of a typed command (after `--`) in waves'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "status" -d 'Waves, counts per outcome, failures and what is next (from the devices\' twin tags)'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "list" -d 'The rollouts kept on this machine'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Hold the running rollout before its next wave'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Continue a paused rollout, or run an interrupted one from where its devices\' tags say'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "abort" -d 'Start nothing more: devices not reached stay untouched'
complete -c dmctl -n "__fish_dmctl_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -s f -l file -d 'The desired-state file (.toml, or .json)' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -l target -d 'Only devices that also match this query condition ("WHERE ..." or a bare condition)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -l out -d 'Also write the plan, with the etags it was computed against, to FILE for `apply --plan`' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -s f -l file -d 'The desired-state file (.toml, or .json)' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -l plan -d 'Apply a plan written by `dmctl plan --out` (guarded by the etags it was computed against)' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -l target -d 'Only devices that also match this query condition ("WHERE ..." or a bare condition)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -l target -d 'The devices: an IoT Hub query condition ("WHERE ..." or a bare condition; "*" for all)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -l until -d 'The condition every targeted device must satisfy (evaluated by the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -l timeout -d 'Give up after this long (exit 6, listing the devices not there yet)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -l since -d 'Only calls made in the last DURATION (30m, 2h, 7d)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -l device -d 'Only calls about this device' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -l verify -d 'Check the hash chain; exit 1 naming the first line that was edited, deleted or added'
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -f -a "serve" -d 'Run the local IoT Hub (HTTPS REST + MQTT) until Ctrl-C or SIGTERM'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -f -a "connection-string" -d 'Print a connection string for the local hub in a data directory (no server needed)'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -f -a "container-sas" -d 'Print a SAS URI for a blob container of the local hub\'s own storage, for import/export jobs (`az iot hub device-identity export --bcu URI`) and storage clients'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and not __fish_seen_subcommand_from serve connection-string container-sas help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l data-dir -d 'Data directory (hub.db, ca.pem); default: the user\'s data dir, dmctl/hub (under sudo: the invoking user\'s)' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l hostname -d 'Host name clients use (in tokens and the server certificate) [default: the one the hub last served, else localhost]' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l https-port -d 'HTTPS port (REST API and MQTT over WebSocket) [default: the one the hub last served, else 443]' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l mqtt-port -d 'MQTT over TLS port [default: the one the hub last served, else 8883]' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l bind -d 'Address to listen on (127.0.0.1 keeps the hub private to this machine)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l max-connections -d 'Connections each listener holds at once; more wait until one closes' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l configuration-interval -d 'How often automatic device management configurations are evaluated (a real hub takes up to 5 minutes); a configuration change also starts a pass at once' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l throttling -d 'Simulate the S1 tier\'s throttling (429 after a backlog)'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l allow-insecure-permissions -d 'Start even if other users can enter the data directory (it holds every key)'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l data-dir -d 'Data directory (hub.db, ca.pem); default: the user\'s data dir, dmctl/hub (under sudo: the invoking user\'s)' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l hostname -d 'Host name clients use (in tokens and the server certificate) [default: the one the hub last served, else localhost]' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l https-port -d 'HTTPS port (REST API and MQTT over WebSocket) [default: the one the hub last served, else 443]' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l mqtt-port -d 'MQTT over TLS port [default: the one the hub last served, else 8883]' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l policy -d 'Shared access policy for a service connection string' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l device -d 'A device connection string instead (with the gateway host for MQTT)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l create -d 'Register the device first if it does not exist'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from connection-string" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l data-dir -d 'Data directory (hub.db, ca.pem); default: the user\'s data dir, dmctl/hub (under sudo: the invoking user\'s)' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l hostname -d 'Host name clients use (in tokens and the server certificate) [default: the one the hub last served, else localhost]' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l https-port -d 'HTTPS port (REST API and MQTT over WebSocket) [default: the one the hub last served, else 443]' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l mqtt-port -d 'MQTT over TLS port [default: the one the hub last served, else 8883]' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l permissions -d 'Permissions the SAS grants, letters of `racwdl` (an export needs w, an import\'s input r)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l ttl -d 'How long the SAS stays valid' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l blob -d 'Print the URI of this blob in the container instead of the container\'s' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from container-sas" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Run the local IoT Hub (HTTPS REST + MQTT) until Ctrl-C or SIGTERM'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from help" -f -a "connection-string" -d 'Print a connection string for the local hub in a data directory (no server needed)'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from help" -f -a "container-sas" -d 'Print a SAS URI for a blob container of the local hub\'s own storage, for import/export jobs (`az iot hub device-identity export --bcu URI`) and storage clients'
complete -c dmctl -n "__fish_dmctl_using_subcommand hub; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -s n -l count -d 'How many devices' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l prefix -d 'Device ids are PREFIX1, PREFIX2, ...' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l gateway -d 'Where the devices open MQTT when it is not the hub\'s host, e.g. localhost:8883 for a local hub whose HTTPS port is not 443' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l sandbox-dir -d 'Where the simulated devices keep their sandboxes (default: a temporary directory)' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l fail -d 'Make PERCENT of the devices (the same ones every run, by a hash of their id) fail METHOD: the operation ends failed, or =409 answers busy, or =timeout never answers (repeatable), e.g. --fail dm.apps.install:10 --fail dm.reboot=409:5' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l trusted-key -d 'A publisher key the devices trust (minisign public key `RW…` or raw Ed25519 key in base64; repeatable): artefacts then need a signature by one of them' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l create -d 'Register devices that do not exist yet'
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l allow-http-artifacts -d 'Let the devices download artefacts over plain http (like `artifacts.allow_http` in dm-agent\'s configuration; default: https only)'
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand demo" -l devices -d 'How many simulated devices' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand demo" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand demo" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand demo" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand demo" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand demo" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand demo" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand demo" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand demo" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -f -a "add" -d 'Save a hub connection: the --hub string, or a local hub\'s data directory'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -f -a "list" -d 'List saved profiles'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -f -a "use" -d 'Make a profile the default'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -f -a "remove" -d 'Delete a profile'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and not __fish_seen_subcommand_from add list use remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -l data-dir -d 'A local hub\'s data directory: its CA is trusted and its connection string read at use' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -l host -d 'Host name and port of the local hub (with --data-dir)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -l policy -d 'Shared access policy of the local hub (with --data-dir)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -l from-stdin -d 'Read the connection string from stdin (keeps it out of shell history)'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -l use -d 'Make it the default profile'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -l force -d 'Replace an existing profile of that name'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from list" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from use" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from use" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from use" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from use" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from remove" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from remove" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from remove" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from remove" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "add" -d 'Save a hub connection: the --hub string, or a local hub\'s data directory'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "list" -d 'List saved profiles'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make a profile the default'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Delete a profile'
complete -c dmctl -n "__fish_dmctl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand completions" -l hub -d 'Hub connection string (a shared access policy of the hub)' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand completions" -l profile -d 'Profile from the config file to use' -r
complete -c dmctl -n "__fish_dmctl_using_subcommand completions" -l ca-file -d 'Extra CA certificate (PEM) to trust, e.g. the local hub\'s ca.pem' -r -F
complete -c dmctl -n "__fish_dmctl_using_subcommand completions" -s o -l output -d 'Output format' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document on stdout'
jsonl\t'One JSON value per line (per item, or per device for fleet commands)'"
complete -c dmctl -n "__fish_dmctl_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
complete -c dmctl -n "__fish_dmctl_using_subcommand completions" -s q -l quiet -d 'Only errors on stderr'
complete -c dmctl -n "__fish_dmctl_using_subcommand completions" -l no-progress -d 'Never draw progress spinners or bars'
complete -c dmctl -n "__fish_dmctl_using_subcommand completions" -s y -l yes -d 'Do not ask for confirmation (needed for destructive operations on several devices)'
complete -c dmctl -n "__fish_dmctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "device" -d 'Device identities: list, show, create, delete, enable, disable, keys'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "twin" -d 'Device twins: show, patch, replace, diff desired vs reported, watch'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "method" -d 'Direct methods: invoke on one device or a fleet'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "query" -d 'Run an IoT Hub query (all pages, or --top)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "job" -d 'Scheduled jobs: create, show, list, cancel, wait'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "config" -d 'Automatic device management: configurations the hub keeps applied to matching devices'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "status" -d 'The fleet at a glance: connection, agent, operations, leases, compliance (exit 10 if any device is not connected and in sync)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "dashboard" -d 'A full-screen fleet dashboard in the terminal: browse, filter, inspect, act'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "token" -d 'Print a SAS token signed locally with the connection string\'s key (no network)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "reboot" -d 'Reboot now, later, or on a schedule'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "factory-reset" -d 'Reset a device to factory state (asks for the device id)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "apps" -d 'Applications: list, install, remove, start, stop, restart, enable, disable'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "updates" -d 'OS updates: show, policy, approve, scan, install'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "certs" -d 'Certificates: list, install, remove, show'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "time" -d 'Device time: show, set time zone and NTP'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "wifi" -d 'Wi-Fi profiles: list, add, remove'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "logs" -d 'Device logs: collect'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "info" -d 'Device information and health'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "report-all" -d 'Ask the agent to report every section again'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "busy" -d 'Busy leases held by applications on the device'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "agent" -d 'The dm agent itself: update'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "ops" -d 'Operations on devices: list, show, wait for, cancel (resume after Ctrl-C or --timeout)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "rollout" -d 'Staged rollouts of a typed command: canary, waves, automatic stop, pause/resume'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "plan" -d 'Show what a desired-state file would change on each device\'s twin (nothing is written)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "apply" -d 'Apply a desired-state file: patch only what differs, guarded by each twin\'s etag'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "wait" -d 'Wait until every device of a target satisfies a query condition'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "audit" -d 'The audit trail of every call that changed something: show it, or verify its chain'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "hub" -d 'The local IoT Hub: serve, connection-string'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "simulate" -d 'Run simulated devices with the dm agent against a hub'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "demo" -d 'A tour of dmctl on a local hub with simulated devices (no Azure account needed)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "profile" -d 'Saved hub connections: add, list, use, remove'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and not __fish_seen_subcommand_from device twin method query job config status dashboard token reboot factory-reset apps updates certs time wifi logs info report-all busy agent ops rollout plan apply wait audit hub simulate demo profile completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "list" -d 'List devices (all pages of the registry query)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "show" -d 'Show one device identity (keys are not shown; see `device keys`)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "create" -d 'Register a device'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "delete" -d 'Delete devices'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "enable" -d 'Allow a device to connect'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "disable" -d 'Refuse a device\'s connections'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "keys" -d 'Print a device\'s symmetric keys, or regenerate one'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "connection-string" -d 'Print a device\'s connection string'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from twin" -f -a "show" -d 'Show a device or module twin'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from twin" -f -a "patch" -d 'Patch desired properties and/or tags (one device or a fleet)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from twin" -f -a "replace" -d 'Replace a twin\'s desired properties and tags as a whole'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from twin" -f -a "diff" -d 'Compare desired with reported properties'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from twin" -f -a "watch" -d 'Print changes to a twin as they happen, until Ctrl-C'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from method" -f -a "invoke" -d 'Invoke a direct method and print `{"status": ..., "payload": ...}`'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "create" -d 'Schedule a direct method or a twin update on the devices matching a condition'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "show" -d 'Show a job'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "list" -d 'List jobs'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "cancel" -d 'Cancel a job'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "wait" -d 'Wait until a job has finished'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "create" -d 'Create a configuration: desired properties the hub writes to every matching device'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "list" -d 'List configurations with their targeted and applied counts'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Show a configuration'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "update" -d 'Change a configuration\'s target condition, priority, labels or metrics (its content cannot change)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "delete" -d 'Delete a configuration (devices keep the desired values it wrote)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "metrics" -d 'Show a configuration\'s metrics: targeted, applied and custom counts'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "plan" -d 'Show which devices the configuration in FILE would target and what their desired properties become, without writing anything'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "apply" -d 'Create or update the configuration in FILE, after showing its plan'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from reboot" -f -a "schedule" -d 'Set or clear scheduled reboots (desired.dm.reboot.schedule)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from apps" -f -a "list" -d 'List systemd units and OS packages (dm.apps.list)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from apps" -f -a "install" -d 'Install a package from a URL, checked by its SHA-256 (dm.apps.install)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from apps" -f -a "remove" -d 'Stop and remove an app (dm.apps.remove)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from apps" -f -a "start" -d 'Start an app\'s unit (dm.apps.start)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from apps" -f -a "stop" -d 'Stop an app\'s unit (dm.apps.stop)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from apps" -f -a "restart" -d 'Restart an app\'s unit (dm.apps.restart)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from apps" -f -a "enable" -d 'Start an app at boot (dm.apps.enable)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from apps" -f -a "disable" -d 'Do not start an app at boot (dm.apps.disable)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from updates" -f -a "show" -d 'Show the update policy, the last scan and available updates (reported.dm.updates)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from updates" -f -a "policy" -d 'Set the update policy (desired.dm.updates.policy)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from updates" -f -a "approve" -d 'Approve packages for automatic install (desired.dm.updates.approved)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from updates" -f -a "scan" -d 'Refresh the list of available updates (dm.updates.scan)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from updates" -f -a "install" -d 'Install updates now (dm.updates.install)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from certs" -f -a "list" -d 'List certificates, including the OS\'s own CA bundle (dm.certificates.list)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from certs" -f -a "install" -d 'Install a CA or client certificate (dm.certificates.install)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from certs" -f -a "remove" -d 'Remove a certificate by thumbprint (dm.certificates.remove)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from certs" -f -a "show" -d 'Show one certificate with its PEM (dm.certificates.show)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from time" -f -a "show" -d 'The device\'s clock, time zone and NTP servers (dm.time.get)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from time" -f -a "set" -d 'Set the time zone and/or NTP servers (desired.dm.time)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from wifi" -f -a "list" -d 'List Wi-Fi profiles (dm.wifi.list)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from wifi" -f -a "add" -d 'Add a profile, or replace the one with the same SSID (dm.wifi.add)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from wifi" -f -a "remove" -d 'Remove profiles by id or SSID (dm.wifi.remove)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from logs" -f -a "collect" -d 'Collect journal entries and log files (dm.diagnostics.collect)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from busy" -f -a "show" -d 'Busy leases held on the device now (reported.dm.busy)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "update" -d 'Replace the dm agent on the device with another version and restart it (dm.agent.update)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from ops" -f -a "list" -d 'Every operation the agent reports, in every section (id, op, section, state, times, error)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from ops" -f -a "show" -d 'One operation\'s whole envelope'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from ops" -f -a "wait" -d 'Follow operations to their final state, sending nothing (exit codes as --wait)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from ops" -f -a "cancel" -d 'Ask the agent to cancel a pending or postponed operation'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "start" -d 'Plan and run a rollout of a typed command (after `--`) in waves'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "status" -d 'Waves, counts per outcome, failures and what is next (from the devices\' twin tags)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "list" -d 'The rollouts kept on this machine'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "pause" -d 'Hold the running rollout before its next wave'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "resume" -d 'Continue a paused rollout, or run an interrupted one from where its devices\' tags say'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "abort" -d 'Start nothing more: devices not reached stay untouched'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from hub" -f -a "serve" -d 'Run the local IoT Hub (HTTPS REST + MQTT) until Ctrl-C or SIGTERM'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from hub" -f -a "connection-string" -d 'Print a connection string for the local hub in a data directory (no server needed)'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from hub" -f -a "container-sas" -d 'Print a SAS URI for a blob container of the local hub\'s own storage, for import/export jobs (`az iot hub device-identity export --bcu URI`) and storage clients'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "add" -d 'Save a hub connection: the --hub string, or a local hub\'s data directory'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "list" -d 'List saved profiles'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "use" -d 'Make a profile the default'
complete -c dmctl -n "__fish_dmctl_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "remove" -d 'Delete a profile'
