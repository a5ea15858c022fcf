
use builtin;
use str;

set edit:completion:arg-completer[dmctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dmctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dmctl'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand device 'Device identities: list, show, create, delete, enable, disable, keys'
            cand twin 'Device twins: show, patch, replace, diff desired vs reported, watch'
            cand method 'Direct methods: invoke on one device or a fleet'
            cand query 'Run an IoT Hub query (all pages, or --top)'
            cand job 'Scheduled jobs: create, show, list, cancel, wait'
            cand config 'Automatic device management: configurations the hub keeps applied to matching devices'
            cand status 'The fleet at a glance: connection, agent, operations, leases, compliance (exit 10 if any device is not connected and in sync)'
            cand dashboard 'A full-screen fleet dashboard in the terminal: browse, filter, inspect, act'
            cand token 'Print a SAS token signed locally with the connection string''s key (no network)'
            cand reboot 'Reboot now, later, or on a schedule'
            cand factory-reset 'Reset a device to factory state (asks for the device id)'
            cand apps 'Applications: list, install, remove, start, stop, restart, enable, disable'
            cand updates 'OS updates: show, policy, approve, scan, install'
            cand certs 'Certificates: list, install, remove, show'
            cand time 'Device time: show, set time zone and NTP'
            cand wifi 'Wi-Fi profiles: list, add, remove'
            cand logs 'Device logs: collect'
            cand info 'Device information and health'
            cand report-all 'Ask the agent to report every section again'
            cand busy 'Busy leases held by applications on the device'
            cand agent 'The dm agent itself: update'
            cand ops 'Operations on devices: list, show, wait for, cancel (resume after Ctrl-C or --timeout)'
            cand rollout 'Staged rollouts of a typed command: canary, waves, automatic stop, pause/resume'
            cand plan 'Show what a desired-state file would change on each device''s twin (nothing is written)'
            cand apply 'Apply a desired-state file: patch only what differs, guarded by each twin''s etag'
            cand wait 'Wait until every device of a target satisfies a query condition'
            cand audit 'The audit trail of every call that changed something: show it, or verify its chain'
            cand hub 'The local IoT Hub: serve, connection-string'
            cand simulate 'Run simulated devices with the dm agent against a hub'
            cand demo 'A tour of dmctl on a local hub with simulated devices (no Azure account needed)'
            cand profile 'Saved hub connections: add, list, use, remove'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;device'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List devices (all pages of the registry query)'
            cand show 'Show one device identity (keys are not shown; see `device keys`)'
            cand create 'Register a device'
            cand delete 'Delete devices'
            cand enable 'Allow a device to connect'
            cand disable 'Refuse a device''s connections'
            cand keys 'Print a device''s symmetric keys, or regenerate one'
            cand connection-string 'Print a device''s connection string'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;device;list'= {
            cand --top 'Stop after this many devices'
            cand --where 'Only devices matching this query condition, e.g. "status = ''disabled''"'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;device;show'= {
            cand -d 'Device id (the same as the positional DEVICE)'
            cand --device 'Device id (the same as the positional DEVICE)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;device;create'= {
            cand --x509 'Authenticate with self-signed X.509 certificates of these thumbprints instead of keys'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --disabled 'Register the device as disabled'
            cand --edge 'Mark the device as an IoT Edge device'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;device;delete'= {
            cand --etag 'Delete only if the identity''s etag still matches'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;device;enable'= {
            cand -d 'Device id (the same as the positional DEVICE)'
            cand --device 'Device id (the same as the positional DEVICE)'
            cand --reason 'Why (stored as the device''s status reason)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;device;disable'= {
            cand -d 'Device id (the same as the positional DEVICE)'
            cand --device 'Device id (the same as the positional DEVICE)'
            cand --reason 'Why (stored as the device''s status reason)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;device;keys'= {
            cand -d 'Device id (the same as the positional DEVICE)'
            cand --device 'Device id (the same as the positional DEVICE)'
            cand --regenerate 'Replace this key with a new random one first'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;device;connection-string'= {
            cand -d 'Device id (the same as the positional DEVICE)'
            cand --device 'Device id (the same as the positional DEVICE)'
            cand --gateway 'Add the gateway host devices open MQTT to (e.g. localhost:8883 for a local hub)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --secondary 'Use the secondary key'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;device;help'= {
            cand list 'List devices (all pages of the registry query)'
            cand show 'Show one device identity (keys are not shown; see `device keys`)'
            cand create 'Register a device'
            cand delete 'Delete devices'
            cand enable 'Allow a device to connect'
            cand disable 'Refuse a device''s connections'
            cand keys 'Print a device''s symmetric keys, or regenerate one'
            cand connection-string 'Print a device''s connection string'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;device;help;list'= {
        }
        &'dmctl;device;help;show'= {
        }
        &'dmctl;device;help;create'= {
        }
        &'dmctl;device;help;delete'= {
        }
        &'dmctl;device;help;enable'= {
        }
        &'dmctl;device;help;disable'= {
        }
        &'dmctl;device;help;keys'= {
        }
        &'dmctl;device;help;connection-string'= {
        }
        &'dmctl;device;help;help'= {
        }
        &'dmctl;twin'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand show 'Show a device or module twin'
            cand patch 'Patch desired properties and/or tags (one device or a fleet)'
            cand replace 'Replace a twin''s desired properties and tags as a whole'
            cand diff 'Compare desired with reported properties'
            cand watch 'Print changes to a twin as they happen, until Ctrl-C'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;twin;show'= {
            cand -d 'Device id (the same as the positional DEVICE)'
            cand --device 'Device id (the same as the positional DEVICE)'
            cand --module 'Module id (for a module twin)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;twin;patch'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --desired 'Desired-properties patch: JSON, @FILE, or - for stdin (null deletes a key)'
            cand --tags 'Tags patch: JSON, @FILE, or - for stdin'
            cand --etag 'Apply only if the twin''s etag still matches (one device only)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;twin;replace'= {
            cand -d 'Device id (the same as the positional DEVICE)'
            cand --device 'Device id (the same as the positional DEVICE)'
            cand --twin 'The new twin `{"tags": {...}, "properties": {"desired": {...}}}`: JSON, @FILE, or -'
            cand --etag 'Replace only if the twin''s etag still matches'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;twin;diff'= {
            cand -d 'Device id (the same as the positional DEVICE)'
            cand --device 'Device id (the same as the positional DEVICE)'
            cand --module 'Module id (for a module twin)'
            cand --path 'Only properties under this dotted path, e.g. dm.reboot'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --all 'Also list properties that are in sync'
            cand --exit-code 'Exit 1 when a desired property differs from (or is not yet) reported, 0 when in sync'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;twin;watch'= {
            cand -d 'Device id (the same as the positional DEVICE)'
            cand --device 'Device id (the same as the positional DEVICE)'
            cand --module 'Module id (for a module twin)'
            cand --interval 'How often to read the twin'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;twin;help'= {
            cand show 'Show a device or module twin'
            cand patch 'Patch desired properties and/or tags (one device or a fleet)'
            cand replace 'Replace a twin''s desired properties and tags as a whole'
            cand diff 'Compare desired with reported properties'
            cand watch 'Print changes to a twin as they happen, until Ctrl-C'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;twin;help;show'= {
        }
        &'dmctl;twin;help;patch'= {
        }
        &'dmctl;twin;help;replace'= {
        }
        &'dmctl;twin;help;diff'= {
        }
        &'dmctl;twin;help;watch'= {
        }
        &'dmctl;twin;help;help'= {
        }
        &'dmctl;method'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand invoke 'Invoke a direct method and print `{"status": ..., "payload": ...}`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;method;invoke'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand -n 'Method name'
            cand --name 'Method name'
            cand -p 'Payload: JSON, @FILE, or - for stdin (default: null)'
            cand --payload 'Payload: JSON, @FILE, or - for stdin (default: null)'
            cand --module 'Call a module''s method instead of the device''s'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300; default 30)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; default 0: must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;method;help'= {
            cand invoke 'Invoke a direct method and print `{"status": ..., "payload": ...}`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;method;help;invoke'= {
        }
        &'dmctl;method;help;help'= {
        }
        &'dmctl;query'= {
            cand --top 'Stop after this many items'
            cand --page-size 'Items per request (the hub caps it at 1000)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;job'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand create 'Schedule a direct method or a twin update on the devices matching a condition'
            cand show 'Show a job'
            cand list 'List jobs'
            cand cancel 'Cancel a job'
            cand wait 'Wait until a job has finished'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;job;create'= {
            cand --id 'Job id (default: a new random id)'
            cand --query 'Devices: a query condition, e.g. "tags.site = ''lab''", or * for all'
            cand --method 'Invoke this direct method'
            cand --payload 'Method payload: JSON, @FILE, or -'
            cand --response-timeout 'Seconds each device has to answer the method (5-300)'
            cand --connect-timeout 'Seconds to wait for each device to connect (0-300)'
            cand --desired 'Patch desired properties: JSON, @FILE, or -'
            cand --tags 'Patch tags: JSON, @FILE, or -'
            cand --start 'Start at this time (RFC 3339, e.g. 2026-03-01T02:00:00Z) instead of now'
            cand --max-execution-time 'How long the job may run'
            cand --timeout 'Give up waiting after this long (with --wait)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --wait 'Wait until the job has finished'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;job;show'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;job;list'= {
            cand --type 'Only jobs of this type'
            cand --status 'Only jobs in this state'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;job;cancel'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;job;wait'= {
            cand --timeout 'Give up after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;job;help'= {
            cand create 'Schedule a direct method or a twin update on the devices matching a condition'
            cand show 'Show a job'
            cand list 'List jobs'
            cand cancel 'Cancel a job'
            cand wait 'Wait until a job has finished'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;job;help;create'= {
        }
        &'dmctl;job;help;show'= {
        }
        &'dmctl;job;help;list'= {
        }
        &'dmctl;job;help;cancel'= {
        }
        &'dmctl;job;help;wait'= {
        }
        &'dmctl;job;help;help'= {
        }
        &'dmctl;config'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand create 'Create a configuration: desired properties the hub writes to every matching device'
            cand list 'List configurations with their targeted and applied counts'
            cand show 'Show a configuration'
            cand update 'Change a configuration''s target condition, priority, labels or metrics (its content cannot change)'
            cand delete 'Delete a configuration (devices keep the desired values it wrote)'
            cand metrics 'Show a configuration''s metrics: targeted, applied and custom counts'
            cand plan 'Show which devices the configuration in FILE would target and what their desired properties become, without writing anything'
            cand apply 'Create or update the configuration in FILE, after showing its plan'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;config;create'= {
            cand --target-condition 'The devices: a query condition, e.g. "tags.site = ''lab''", or * for all'
            cand --priority 'Higher wins where configurations overlap (ties go to the newer one)'
            cand --desired 'A desired property to set: PATH=VALUE, PATH under properties.desired, VALUE as JSON or else as text (repeatable)'
            cand --content 'The whole content: {"deviceContent": {"properties.desired.x": ...}} as JSON, @FILE or -'
            cand --label 'A label KEY=VALUE (repeatable)'
            cand --metric 'A custom metric NAME=QUERY, e.g. done="SELECT deviceId FROM devices WHERE ..." (repeatable, at most 5)'
            cand --timeout 'Give up waiting after this long (exit 6; default 10m, a real hub evaluates every 5m)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --wait 'Wait until every targeted device has the configuration applied'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;config;list'= {
            cand --top 'At most this many'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;config;show'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;config;update'= {
            cand --target-condition 'A new target condition'
            cand --priority 'A new priority'
            cand --label 'Set a label KEY=VALUE (repeatable)'
            cand --remove-label 'Remove a label (repeatable)'
            cand --metric 'Set a custom metric NAME=QUERY (repeatable)'
            cand --remove-metric 'Remove a custom metric (repeatable)'
            cand --etag 'Only if the configuration''s etag is still this one'
            cand --timeout 'Give up waiting after this long (exit 6; default 10m, a real hub evaluates every 5m)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --wait 'Wait until every targeted device has the configuration applied'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;config;delete'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;config;metrics'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;config;plan'= {
            cand -f 'The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels", "metrics"} (- reads stdin)'
            cand --file 'The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels", "metrics"} (- reads stdin)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;config;apply'= {
            cand -f 'The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels", "metrics"} (- reads stdin)'
            cand --file 'The configuration as JSON: {"id", "targetCondition", "priority", "content", "labels", "metrics"} (- reads stdin)'
            cand --timeout 'Give up waiting after this long (exit 6; default 10m, a real hub evaluates every 5m)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --wait 'Wait until every targeted device has the configuration applied'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;config;help'= {
            cand create 'Create a configuration: desired properties the hub writes to every matching device'
            cand list 'List configurations with their targeted and applied counts'
            cand show 'Show a configuration'
            cand update 'Change a configuration''s target condition, priority, labels or metrics (its content cannot change)'
            cand delete 'Delete a configuration (devices keep the desired values it wrote)'
            cand metrics 'Show a configuration''s metrics: targeted, applied and custom counts'
            cand plan 'Show which devices the configuration in FILE would target and what their desired properties become, without writing anything'
            cand apply 'Create or update the configuration in FILE, after showing its plan'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;config;help;create'= {
        }
        &'dmctl;config;help;list'= {
        }
        &'dmctl;config;help;show'= {
        }
        &'dmctl;config;help;update'= {
        }
        &'dmctl;config;help;delete'= {
        }
        &'dmctl;config;help;metrics'= {
        }
        &'dmctl;config;help;plan'= {
        }
        &'dmctl;config;help;apply'= {
        }
        &'dmctl;config;help;help'= {
        }
        &'dmctl;status'= {
            cand --target 'Only the devices this query condition selects, e.g. "WHERE tags.site = ''lab''" (default: every device)'
            cand --interval 'How often --watch reads the fleet (each read costs two queries or more: one count, one per 1,000 devices)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --watch 'Read and print again every --interval (redrawn in place on a terminal) until Ctrl-C'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;dashboard'= {
            cand --target 'Start filtered to the devices this query condition selects, e.g. "WHERE tags.site = ''lab''" (change it with `/`)'
            cand --interval 'How often the rows on screen (or the open device) are read again'
            cand --query-budget 'Queries per minute the dashboard may spend at most (one S1 unit allows 20 for every client of the hub together; each refresh costs 2)'
            cand --page-size 'Devices read per query page (more are read as you scroll)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;token'= {
            cand -d 'Scope the token to this device (`{host}/devices/{id}`); the policy needs device-connect permission'
            cand --device 'Scope the token to this device (`{host}/devices/{id}`); the policy needs device-connect permission'
            cand --module 'Scope the token to this module of the device'
            cand --ttl 'How long the token is valid'
            cand --expiry 'Expiry as Unix seconds instead of --ttl'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;reboot'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --in 'Reboot after this delay (at most 1 day), e.g. 5m'
            cand --at 'Reboot at this time: RFC 3339 (2025-03-01T02:00:00Z) or HH:MM, the next such local time'
            cand --reason 'Why (audited, reported as reboot.lastRebootReason)'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --force 'Go ahead even if an application on the device holds a busy lease'
            cand --postpone 'If a busy lease is held, run when it ends instead of failing with "busy"'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand schedule 'Set or clear scheduled reboots (desired.dm.reboot.schedule)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;reboot;schedule'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --single 'Reboot once at this instant (RFC 3339, e.g. 2025-03-01T02:00:00Z)'
            cand --daily 'Reboot every day at this local time (HH:MM)'
            cand --tz 'Time zone of --daily (IANA name, e.g. Europe/Paris; default: the device''s)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --clear 'Remove every scheduled reboot'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;reboot;help'= {
            cand schedule 'Set or clear scheduled reboots (desired.dm.reboot.schedule)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;reboot;help;schedule'= {
        }
        &'dmctl;reboot;help;help'= {
        }
        &'dmctl;factory-reset'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --confirm 'The device id again, to confirm without a prompt (with --yes; one device only)'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --clear-tpm 'Also clear the TPM (identity keys held there are lost)'
            cand --wipe-data 'Also erase application data'
            cand --force 'Go ahead even if an application on the device holds a busy lease'
            cand --postpone 'If a busy lease is held, run when it ends instead of failing with "busy"'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;apps'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List systemd units and OS packages (dm.apps.list)'
            cand install 'Install a package from a URL, checked by its SHA-256 (dm.apps.install)'
            cand remove 'Stop and remove an app (dm.apps.remove)'
            cand start 'Start an app''s unit (dm.apps.start)'
            cand stop 'Stop an app''s unit (dm.apps.stop)'
            cand restart 'Restart an app''s unit (dm.apps.restart)'
            cand enable 'Start an app at boot (dm.apps.enable)'
            cand disable 'Do not start an app at boot (dm.apps.disable)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;apps;list'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --kind 'Only units or only packages'
            cand --filter 'Only names containing this text (case-insensitive)'
            cand --limit 'At most this many entries (1-2000; default 500)'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;apps;install'= {
            cand --url 'Where to download the package (https; http only where the device allows it; a signed URL''s query is never printed)'
            cand --sha256 'SHA-256 of the package file (64 hex digits)'
            cand --expect-version 'Fail unless the installed package reports this version'
            cand --signature 'The publisher''s minisign signature of the package: a .minisig file, or its text (needed by devices that trust publisher keys)'
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --no-enable 'Do not enable the app''s unit at boot'
            cand --no-start 'Do not start the app''s unit after installing'
            cand --allow-downgrade 'Install even when --expect-version is lower than the installed version (or cannot be compared with it)'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;apps;remove'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --purge 'Also delete its configuration and data'
            cand --force 'Go ahead even if an application on the device holds a busy lease'
            cand --postpone 'If a busy lease is held, run when it ends instead of failing with "busy"'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;apps;start'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;apps;stop'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --force 'Go ahead even if an application on the device holds a busy lease'
            cand --postpone 'If a busy lease is held, run when it ends instead of failing with "busy"'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;apps;restart'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --force 'Go ahead even if an application on the device holds a busy lease'
            cand --postpone 'If a busy lease is held, run when it ends instead of failing with "busy"'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;apps;enable'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;apps;disable'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;apps;help'= {
            cand list 'List systemd units and OS packages (dm.apps.list)'
            cand install 'Install a package from a URL, checked by its SHA-256 (dm.apps.install)'
            cand remove 'Stop and remove an app (dm.apps.remove)'
            cand start 'Start an app''s unit (dm.apps.start)'
            cand stop 'Stop an app''s unit (dm.apps.stop)'
            cand restart 'Restart an app''s unit (dm.apps.restart)'
            cand enable 'Start an app at boot (dm.apps.enable)'
            cand disable 'Do not start an app at boot (dm.apps.disable)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;apps;help;list'= {
        }
        &'dmctl;apps;help;install'= {
        }
        &'dmctl;apps;help;remove'= {
        }
        &'dmctl;apps;help;start'= {
        }
        &'dmctl;apps;help;stop'= {
        }
        &'dmctl;apps;help;restart'= {
        }
        &'dmctl;apps;help;enable'= {
        }
        &'dmctl;apps;help;disable'= {
        }
        &'dmctl;apps;help;help'= {
        }
        &'dmctl;updates'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand show 'Show the update policy, the last scan and available updates (reported.dm.updates)'
            cand policy 'Set the update policy (desired.dm.updates.policy)'
            cand approve 'Approve packages for automatic install (desired.dm.updates.approved)'
            cand scan 'Refresh the list of available updates (dm.updates.scan)'
            cand install 'Install updates now (dm.updates.install)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;updates;show'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;updates;policy'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;updates;approve'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --replace 'Make these the whole approved list instead of adding them'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;updates;scan'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;updates;install'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --reboot-if-required 'Reboot afterwards when an update needs it'
            cand --force 'Go ahead even if an application on the device holds a busy lease'
            cand --postpone 'If a busy lease is held, run when it ends instead of failing with "busy"'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;updates;help'= {
            cand show 'Show the update policy, the last scan and available updates (reported.dm.updates)'
            cand policy 'Set the update policy (desired.dm.updates.policy)'
            cand approve 'Approve packages for automatic install (desired.dm.updates.approved)'
            cand scan 'Refresh the list of available updates (dm.updates.scan)'
            cand install 'Install updates now (dm.updates.install)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;updates;help;show'= {
        }
        &'dmctl;updates;help;policy'= {
        }
        &'dmctl;updates;help;approve'= {
        }
        &'dmctl;updates;help;scan'= {
        }
        &'dmctl;updates;help;install'= {
        }
        &'dmctl;updates;help;help'= {
        }
        &'dmctl;certs'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List certificates, including the OS''s own CA bundle (dm.certificates.list)'
            cand install 'Install a CA or client certificate (dm.certificates.install)'
            cand remove 'Remove a certificate by thumbprint (dm.certificates.remove)'
            cand show 'Show one certificate with its PEM (dm.certificates.show)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;certs;list'= {
            cand --store 'Only this store'
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;certs;install'= {
            cand --store 'The store'
            cand --url 'Download the certificate from this URL (with --sha256)'
            cand --sha256 'SHA-256 of the downloaded file'
            cand --pem 'A PEM file to send inline (''-'' reads stdin); for a client certificate, with its key'
            cand --signature 'The publisher''s minisign signature of the certificate file (--url''s file or the --pem file): a .minisig file, or its text (needed when the device trusts publisher keys)'
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;certs;remove'= {
            cand --store 'The store'
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;certs;show'= {
            cand --store 'The store'
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;certs;help'= {
            cand list 'List certificates, including the OS''s own CA bundle (dm.certificates.list)'
            cand install 'Install a CA or client certificate (dm.certificates.install)'
            cand remove 'Remove a certificate by thumbprint (dm.certificates.remove)'
            cand show 'Show one certificate with its PEM (dm.certificates.show)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;certs;help;list'= {
        }
        &'dmctl;certs;help;install'= {
        }
        &'dmctl;certs;help;remove'= {
        }
        &'dmctl;certs;help;show'= {
        }
        &'dmctl;certs;help;help'= {
        }
        &'dmctl;time'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand show 'The device''s clock, time zone and NTP servers (dm.time.get)'
            cand set 'Set the time zone and/or NTP servers (desired.dm.time)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;time;show'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;time;set'= {
            cand --tz 'IANA time zone, e.g. Europe/Paris'
            cand --ntp 'NTP server (repeat for several, in order of preference; replaces the list)'
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;time;help'= {
            cand show 'The device''s clock, time zone and NTP servers (dm.time.get)'
            cand set 'Set the time zone and/or NTP servers (desired.dm.time)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;time;help;show'= {
        }
        &'dmctl;time;help;set'= {
        }
        &'dmctl;time;help;help'= {
        }
        &'dmctl;wifi'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List Wi-Fi profiles (dm.wifi.list)'
            cand add 'Add a profile, or replace the one with the same SSID (dm.wifi.add)'
            cand remove 'Remove profiles by id or SSID (dm.wifi.remove)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;wifi;list'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;wifi;add'= {
            cand --security 'Security mode'
            cand --passphrase-file 'Read the passphrase from FILE (''-'': stdin); without it dmctl prompts on a terminal. It is never taken from the command line and never printed'
            cand --priority 'Preference among profiles (-999 to 999; higher wins)'
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --hidden 'The network does not broadcast its SSID'
            cand --no-auto-connect 'Do not connect automatically'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;wifi;remove'= {
            cand --id 'The profile id (see `wifi list`)'
            cand --ssid 'Every profile of this SSID'
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;wifi;help'= {
            cand list 'List Wi-Fi profiles (dm.wifi.list)'
            cand add 'Add a profile, or replace the one with the same SSID (dm.wifi.add)'
            cand remove 'Remove profiles by id or SSID (dm.wifi.remove)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;wifi;help;list'= {
        }
        &'dmctl;wifi;help;add'= {
        }
        &'dmctl;wifi;help;remove'= {
        }
        &'dmctl;wifi;help;help'= {
        }
        &'dmctl;logs'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand collect 'Collect journal entries and log files (dm.diagnostics.collect)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;logs;collect'= {
            cand --since 'Only entries from this long ago on, e.g. 1h'
            cand --unit 'Only this systemd unit''s journal (repeat for several)'
            cand --path 'Also this log file or directory on the device (absolute; repeat for several)'
            cand --max-bytes 'Stop after this many bytes, newest kept (1024 to 67108864)'
            cand --out 'Write the logs to FILE (one device) or to DIR/DEVICE.log (several); an upload is followed to its end and fetched from the local hub (DIR/DEVICE.tar.gz)'
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --no-journal 'Leave the journal out (only --path files)'
            cand --upload 'Always upload through the hub''s file upload instead of answering inline'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;logs;help'= {
            cand collect 'Collect journal entries and log files (dm.diagnostics.collect)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;logs;help;collect'= {
        }
        &'dmctl;logs;help;help'= {
        }
        &'dmctl;info'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;report-all'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;busy'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand show 'Busy leases held on the device now (reported.dm.busy)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;busy;show'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;busy;help'= {
            cand show 'Busy leases held on the device now (reported.dm.busy)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;busy;help;show'= {
        }
        &'dmctl;busy;help;help'= {
        }
        &'dmctl;agent'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand update 'Replace the dm agent on the device with another version and restart it (dm.agent.update)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;agent;update'= {
            cand --url 'Where to download the new agent binary (https; http only where the device allows it; a signed URL''s query is never printed)'
            cand --sha256 'SHA-256 of the binary (64 hex digits)'
            cand --version 'The version the new binary reports for --version; the agent refuses any other, and --wait checks the device''s manifest shows it'
            cand --signature 'The publisher''s minisign signature of the binary: a .minisig file, or its text (needed by devices that trust publisher keys)'
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --start 'With --via-job: when the hub starts the job (RFC 3339, e.g. 2026-12-24T02:00:00Z); dmctl returns once it is scheduled unless --wait is given'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --allow-downgrade 'Install even when --version is lower than the running agent''s (or cannot be compared with it)'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --dry-run 'Print the exact request for each device and send nothing (the twin is still read to check the device''s manifest)'
            cand --via-job 'Send it as one IoT Hub job (a scheduled method call or twin update): the hub does the fan-out, and each device''s result is read from the job''s devices.jobs rows'
            cand --wait 'Follow the operation in the reported twin until it succeeds or fails'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;agent;help'= {
            cand update 'Replace the dm agent on the device with another version and restart it (dm.agent.update)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;agent;help;update'= {
        }
        &'dmctl;agent;help;help'= {
        }
        &'dmctl;ops'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'Every operation the agent reports, in every section (id, op, section, state, times, error)'
            cand show 'One operation''s whole envelope'
            cand wait 'Follow operations to their final state, sending nothing (exit codes as --wait)'
            cand cancel 'Ask the agent to cancel a pending or postponed operation'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;ops;list'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --section 'Only this section''s operations (e.g. reboot, apps, time)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand --unfinished 'Only operations that have not finished (pending, running, postponed)'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;ops;show'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;ops;wait'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --section 'With --desired-version: the desired section whose change to follow'
            cand --desired-version 'Follow the agent applying this desired $version of --section (what `--wait` follows after a desired-state change)'
            cand --timeout 'Give up waiting after this long (exit 6)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;ops;cancel'= {
            cand -d 'Device id (repeat for several devices)'
            cand --device 'Device id (repeat for several devices)'
            cand --devices-from 'Read device ids from FILE, one per line (''-'' reads stdin; ''#'' starts a comment)'
            cand --query 'Select devices with a query condition, e.g. "WHERE tags.site = ''lab''" (all pages)'
            cand --concurrency 'How many devices to work on at once'
            cand --response-timeout 'Seconds the hub waits for the device''s answer (5-300)'
            cand --connect-timeout 'Seconds the hub waits for the device to connect (0-300; 0: it must be online)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --resume 'Continue the interrupted fleet run of this same command: only the devices it never sent anything to (its journal is under `$XDG_STATE_HOME/dmctl/journal`)'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;ops;help'= {
            cand list 'Every operation the agent reports, in every section (id, op, section, state, times, error)'
            cand show 'One operation''s whole envelope'
            cand wait 'Follow operations to their final state, sending nothing (exit codes as --wait)'
            cand cancel 'Ask the agent to cancel a pending or postponed operation'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;ops;help;list'= {
        }
        &'dmctl;ops;help;show'= {
        }
        &'dmctl;ops;help;wait'= {
        }
        &'dmctl;ops;help;cancel'= {
        }
        &'dmctl;ops;help;help'= {
        }
        &'dmctl;rollout'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand start 'Plan and run a rollout of a typed command (after `--`) in waves'
            cand status 'Waves, counts per outcome, failures and what is next (from the devices'' twin tags)'
            cand list 'The rollouts kept on this machine'
            cand pause 'Hold the running rollout before its next wave'
            cand resume 'Continue a paused rollout, or run an interrupted one from where its devices'' tags say'
            cand abort 'Start nothing more: devices not reached stay untouched'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;rollout;start'= {
            cand --target 'The devices: a query condition, e.g. "WHERE tags.site = ''plant-4''" (''*'' for all)'
            cand --canary 'A first wave of this many devices (or share of them)'
            cand --waves 'Waves as cumulative shares of the target, e.g. 10%,25%,50%,100%'
            cand --batch 'Waves of this many devices (or share of them) each'
            cand --bake 'Wait this long between waves, then check the finished waves'' --success again'
            cand --max-failures 'Stop when more devices than this have failed (a count, or a share of those started)'
            cand --success 'A device counts as succeeded only if it also matches this query condition, e.g. "properties.reported.dm.apps.web.version = ''2.1.0''"'
            cand --window 'Start waves only in this window, e.g. "Sat 02:00-04:00 Europe/Paris"'
            cand --concurrency 'How many devices to work on at once'
            cand --timeout 'How long one wave may take, waiting and busy retries included'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --dry-run 'Print the waves, their devices and the exact call; send nothing'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;rollout;status'= {
            cand --interval 'Refresh interval with --watch'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --watch 'Refresh until the rollout ends'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;rollout;list'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;rollout;pause'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;rollout;resume'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;rollout;abort'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;rollout;help'= {
            cand start 'Plan and run a rollout of a typed command (after `--`) in waves'
            cand status 'Waves, counts per outcome, failures and what is next (from the devices'' twin tags)'
            cand list 'The rollouts kept on this machine'
            cand pause 'Hold the running rollout before its next wave'
            cand resume 'Continue a paused rollout, or run an interrupted one from where its devices'' tags say'
            cand abort 'Start nothing more: devices not reached stay untouched'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;rollout;help;start'= {
        }
        &'dmctl;rollout;help;status'= {
        }
        &'dmctl;rollout;help;list'= {
        }
        &'dmctl;rollout;help;pause'= {
        }
        &'dmctl;rollout;help;resume'= {
        }
        &'dmctl;rollout;help;abort'= {
        }
        &'dmctl;rollout;help;help'= {
        }
        &'dmctl;plan'= {
            cand -f 'The desired-state file (.toml, or .json)'
            cand --file 'The desired-state file (.toml, or .json)'
            cand --target 'Only devices that also match this query condition ("WHERE ..." or a bare condition)'
            cand --out 'Also write the plan, with the etags it was computed against, to FILE for `apply --plan`'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;apply'= {
            cand -f 'The desired-state file (.toml, or .json)'
            cand --file 'The desired-state file (.toml, or .json)'
            cand --plan 'Apply a plan written by `dmctl plan --out` (guarded by the etags it was computed against)'
            cand --target 'Only devices that also match this query condition ("WHERE ..." or a bare condition)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;wait'= {
            cand --target 'The devices: an IoT Hub query condition ("WHERE ..." or a bare condition; "*" for all)'
            cand --until 'The condition every targeted device must satisfy (evaluated by the hub)'
            cand --timeout 'Give up after this long (exit 6, listing the devices not there yet)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;audit'= {
            cand --since 'Only calls made in the last DURATION (30m, 2h, 7d)'
            cand --device 'Only calls about this device'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --verify 'Check the hash chain; exit 1 naming the first line that was edited, deleted or added'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;hub'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand serve 'Run the local IoT Hub (HTTPS REST + MQTT) until Ctrl-C or SIGTERM'
            cand connection-string 'Print a connection string for the local hub in a data directory (no server needed)'
            cand container-sas 'Print a SAS URI for a blob container of the local hub''s own storage, for import/export jobs (`az iot hub device-identity export --bcu URI`) and storage clients'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;hub;serve'= {
            cand --data-dir 'Data directory (hub.db, ca.pem); default: the user''s data dir, dmctl/hub (under sudo: the invoking user''s)'
            cand --hostname 'Host name clients use (in tokens and the server certificate) [default: the one the hub last served, else localhost]'
            cand --https-port 'HTTPS port (REST API and MQTT over WebSocket) [default: the one the hub last served, else 443]'
            cand --mqtt-port 'MQTT over TLS port [default: the one the hub last served, else 8883]'
            cand --bind 'Address to listen on (127.0.0.1 keeps the hub private to this machine)'
            cand --max-connections 'Connections each listener holds at once; more wait until one closes'
            cand --configuration-interval 'How often automatic device management configurations are evaluated (a real hub takes up to 5 minutes); a configuration change also starts a pass at once'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --throttling 'Simulate the S1 tier''s throttling (429 after a backlog)'
            cand --allow-insecure-permissions 'Start even if other users can enter the data directory (it holds every key)'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;hub;connection-string'= {
            cand --data-dir 'Data directory (hub.db, ca.pem); default: the user''s data dir, dmctl/hub (under sudo: the invoking user''s)'
            cand --hostname 'Host name clients use (in tokens and the server certificate) [default: the one the hub last served, else localhost]'
            cand --https-port 'HTTPS port (REST API and MQTT over WebSocket) [default: the one the hub last served, else 443]'
            cand --mqtt-port 'MQTT over TLS port [default: the one the hub last served, else 8883]'
            cand --policy 'Shared access policy for a service connection string'
            cand --device 'A device connection string instead (with the gateway host for MQTT)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --create 'Register the device first if it does not exist'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;hub;container-sas'= {
            cand --data-dir 'Data directory (hub.db, ca.pem); default: the user''s data dir, dmctl/hub (under sudo: the invoking user''s)'
            cand --hostname 'Host name clients use (in tokens and the server certificate) [default: the one the hub last served, else localhost]'
            cand --https-port 'HTTPS port (REST API and MQTT over WebSocket) [default: the one the hub last served, else 443]'
            cand --mqtt-port 'MQTT over TLS port [default: the one the hub last served, else 8883]'
            cand --permissions 'Permissions the SAS grants, letters of `racwdl` (an export needs w, an import''s input r)'
            cand --ttl 'How long the SAS stays valid'
            cand --blob 'Print the URI of this blob in the container instead of the container''s'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;hub;help'= {
            cand serve 'Run the local IoT Hub (HTTPS REST + MQTT) until Ctrl-C or SIGTERM'
            cand connection-string 'Print a connection string for the local hub in a data directory (no server needed)'
            cand container-sas 'Print a SAS URI for a blob container of the local hub''s own storage, for import/export jobs (`az iot hub device-identity export --bcu URI`) and storage clients'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;hub;help;serve'= {
        }
        &'dmctl;hub;help;connection-string'= {
        }
        &'dmctl;hub;help;container-sas'= {
        }
        &'dmctl;hub;help;help'= {
        }
        &'dmctl;simulate'= {
            cand -n 'How many devices'
            cand --count 'How many devices'
            cand --prefix 'Device ids are PREFIX1, PREFIX2, ...'
            cand --gateway 'Where the devices open MQTT when it is not the hub''s host, e.g. localhost:8883 for a local hub whose HTTPS port is not 443'
            cand --sandbox-dir 'Where the simulated devices keep their sandboxes (default: a temporary directory)'
            cand --fail 'Make PERCENT of the devices (the same ones every run, by a hash of their id) fail METHOD: the operation ends failed, or =409 answers busy, or =timeout never answers (repeatable), e.g. --fail dm.apps.install:10 --fail dm.reboot=409:5'
            cand --trusted-key 'A publisher key the devices trust (minisign public key `RW…` or raw Ed25519 key in base64; repeatable): artefacts then need a signature by one of them'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --create 'Register devices that do not exist yet'
            cand --allow-http-artifacts 'Let the devices download artefacts over plain http (like `artifacts.allow_http` in dm-agent''s configuration; default: https only)'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;demo'= {
            cand --devices 'How many simulated devices'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;profile'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand add 'Save a hub connection: the --hub string, or a local hub''s data directory'
            cand list 'List saved profiles'
            cand use 'Make a profile the default'
            cand remove 'Delete a profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;profile;add'= {
            cand --data-dir 'A local hub''s data directory: its CA is trusted and its connection string read at use'
            cand --host 'Host name and port of the local hub (with --data-dir)'
            cand --policy 'Shared access policy of the local hub (with --data-dir)'
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --from-stdin 'Read the connection string from stdin (keeps it out of shell history)'
            cand --use 'Make it the default profile'
            cand --force 'Replace an existing profile of that name'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;profile;list'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;profile;use'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;profile;remove'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;profile;help'= {
            cand add 'Save a hub connection: the --hub string, or a local hub''s data directory'
            cand list 'List saved profiles'
            cand use 'Make a profile the default'
            cand remove 'Delete a profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;profile;help;add'= {
        }
        &'dmctl;profile;help;list'= {
        }
        &'dmctl;profile;help;use'= {
        }
        &'dmctl;profile;help;remove'= {
        }
        &'dmctl;profile;help;help'= {
        }
        &'dmctl;completions'= {
            cand --hub 'Hub connection string (a shared access policy of the hub)'
            cand --profile 'Profile from the config file to use'
            cand --ca-file 'Extra CA certificate (PEM) to trust, e.g. the local hub''s ca.pem'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -v 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand --verbose 'More detail on stderr (hub tracking ids, causes); repeat for debug logs'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-progress 'Never draw progress spinners or bars'
            cand -y 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand --yes 'Do not ask for confirmation (needed for destructive operations on several devices)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmctl;help'= {
            cand device 'Device identities: list, show, create, delete, enable, disable, keys'
            cand twin 'Device twins: show, patch, replace, diff desired vs reported, watch'
            cand method 'Direct methods: invoke on one device or a fleet'
            cand query 'Run an IoT Hub query (all pages, or --top)'
            cand job 'Scheduled jobs: create, show, list, cancel, wait'
            cand config 'Automatic device management: configurations the hub keeps applied to matching devices'
            cand status 'The fleet at a glance: connection, agent, operations, leases, compliance (exit 10 if any device is not connected and in sync)'
            cand dashboard 'A full-screen fleet dashboard in the terminal: browse, filter, inspect, act'
            cand token 'Print a SAS token signed locally with the connection string''s key (no network)'
            cand reboot 'Reboot now, later, or on a schedule'
            cand factory-reset 'Reset a device to factory state (asks for the device id)'
            cand apps 'Applications: list, install, remove, start, stop, restart, enable, disable'
            cand updates 'OS updates: show, policy, approve, scan, install'
            cand certs 'Certificates: list, install, remove, show'
            cand time 'Device time: show, set time zone and NTP'
            cand wifi 'Wi-Fi profiles: list, add, remove'
            cand logs 'Device logs: collect'
            cand info 'Device information and health'
            cand report-all 'Ask the agent to report every section again'
            cand busy 'Busy leases held by applications on the device'
            cand agent 'The dm agent itself: update'
            cand ops 'Operations on devices: list, show, wait for, cancel (resume after Ctrl-C or --timeout)'
            cand rollout 'Staged rollouts of a typed command: canary, waves, automatic stop, pause/resume'
            cand plan 'Show what a desired-state file would change on each device''s twin (nothing is written)'
            cand apply 'Apply a desired-state file: patch only what differs, guarded by each twin''s etag'
            cand wait 'Wait until every device of a target satisfies a query condition'
            cand audit 'The audit trail of every call that changed something: show it, or verify its chain'
            cand hub 'The local IoT Hub: serve, connection-string'
            cand simulate 'Run simulated devices with the dm agent against a hub'
            cand demo 'A tour of dmctl on a local hub with simulated devices (no Azure account needed)'
            cand profile 'Saved hub connections: add, list, use, remove'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmctl;help;device'= {
            cand list 'List devices (all pages of the registry query)'
            cand show 'Show one device identity (keys are not shown; see `device keys`)'
            cand create 'Register a device'
            cand delete 'Delete devices'
            cand enable 'Allow a device to connect'
            cand disable 'Refuse a device''s connections'
            cand keys 'Print a device''s symmetric keys, or regenerate one'
            cand connection-string 'Print a device''s connection string'
        }
        &'dmctl;help;device;list'= {
        }
        &'dmctl;help;device;show'= {
        }
        &'dmctl;help;device;create'= {
        }
        &'dmctl;help;device;delete'= {
        }
        &'dmctl;help;device;enable'= {
        }
        &'dmctl;help;device;disable'= {
        }
        &'dmctl;help;device;keys'= {
        }
        &'dmctl;help;device;connection-string'= {
        }
        &'dmctl;help;twin'= {
            cand show 'Show a device or module twin'
            cand patch 'Patch desired properties and/or tags (one device or a fleet)'
            cand replace 'Replace a twin''s desired properties and tags as a whole'
            cand diff 'Compare desired with reported properties'
            cand watch 'Print changes to a twin as they happen, until Ctrl-C'
        }
        &'dmctl;help;twin;show'= {
        }
        &'dmctl;help;twin;patch'= {
        }
        &'dmctl;help;twin;replace'= {
        }
        &'dmctl;help;twin;diff'= {
        }
        &'dmctl;help;twin;watch'= {
        }
        &'dmctl;help;method'= {
            cand invoke 'Invoke a direct method and print `{"status": ..., "payload": ...}`'
        }
        &'dmctl;help;method;invoke'= {
        }
        &'dmctl;help;query'= {
        }
        &'dmctl;help;job'= {
            cand create 'Schedule a direct method or a twin update on the devices matching a condition'
            cand show 'Show a job'
            cand list 'List jobs'
            cand cancel 'Cancel a job'
            cand wait 'Wait until a job has finished'
        }
        &'dmctl;help;job;create'= {
        }
        &'dmctl;help;job;show'= {
        }
        &'dmctl;help;job;list'= {
        }
        &'dmctl;help;job;cancel'= {
        }
        &'dmctl;help;job;wait'= {
        }
        &'dmctl;help;config'= {
            cand create 'Create a configuration: desired properties the hub writes to every matching device'
            cand list 'List configurations with their targeted and applied counts'
            cand show 'Show a configuration'
            cand update 'Change a configuration''s target condition, priority, labels or metrics (its content cannot change)'
            cand delete 'Delete a configuration (devices keep the desired values it wrote)'
            cand metrics 'Show a configuration''s metrics: targeted, applied and custom counts'
            cand plan 'Show which devices the configuration in FILE would target and what their desired properties become, without writing anything'
            cand apply 'Create or update the configuration in FILE, after showing its plan'
        }
        &'dmctl;help;config;create'= {
        }
        &'dmctl;help;config;list'= {
        }
        &'dmctl;help;config;show'= {
        }
        &'dmctl;help;config;update'= {
        }
        &'dmctl;help;config;delete'= {
        }
        &'dmctl;help;config;metrics'= {
        }
        &'dmctl;help;config;plan'= {
        }
        &'dmctl;help;config;apply'= {
        }
        &'dmctl;help;status'= {
        }
        &'dmctl;help;dashboard'= {
        }
        &'dmctl;help;token'= {
        }
        &'dmctl;help;reboot'= {
            cand schedule 'Set or clear scheduled reboots (desired.dm.reboot.schedule)'
        }
        &'dmctl;help;reboot;schedule'= {
        }
        &'dmctl;help;factory-reset'= {
        }
        &'dmctl;help;apps'= {
            cand list 'List systemd units and OS packages (dm.apps.list)'
            cand install 'Install a package from a URL, checked by its SHA-256 (dm.apps.install)'
            cand remove 'Stop and remove an app (dm.apps.remove)'
            cand start 'Start an app''s unit (dm.apps.start)'
            cand stop 'Stop an app''s unit (dm.apps.stop)'
            cand restart 'Restart an app''s unit (dm.apps.restart)'
            cand enable 'Start an app at boot (dm.apps.enable)'
            cand disable 'Do not start an app at boot (dm.apps.disable)'
        }
        &'dmctl;help;apps;list'= {
        }
        &'dmctl;help;apps;install'= {
        }
        &'dmctl;help;apps;remove'= {
        }
        &'dmctl;help;apps;start'= {
        }
        &'dmctl;help;apps;stop'= {
        }
        &'dmctl;help;apps;restart'= {
        }
        &'dmctl;help;apps;enable'= {
        }
        &'dmctl;help;apps;disable'= {
        }
        &'dmctl;help;updates'= {
            cand show 'Show the update policy, the last scan and available updates (reported.dm.updates)'
            cand policy 'Set the update policy (desired.dm.updates.policy)'
            cand approve 'Approve packages for automatic install (desired.dm.updates.approved)'
            cand scan 'Refresh the list of available updates (dm.updates.scan)'
            cand install 'Install updates now (dm.updates.install)'
        }
        &'dmctl;help;updates;show'= {
        }
        &'dmctl;help;updates;policy'= {
        }
        &'dmctl;help;updates;approve'= {
        }
        &'dmctl;help;updates;scan'= {
        }
        &'dmctl;help;updates;install'= {
        }
        &'dmctl;help;certs'= {
            cand list 'List certificates, including the OS''s own CA bundle (dm.certificates.list)'
            cand install 'Install a CA or client certificate (dm.certificates.install)'
            cand remove 'Remove a certificate by thumbprint (dm.certificates.remove)'
            cand show 'Show one certificate with its PEM (dm.certificates.show)'
        }
        &'dmctl;help;certs;list'= {
        }
        &'dmctl;help;certs;install'= {
        }
        &'dmctl;help;certs;remove'= {
        }
        &'dmctl;help;certs;show'= {
        }
        &'dmctl;help;time'= {
            cand show 'The device''s clock, time zone and NTP servers (dm.time.get)'
            cand set 'Set the time zone and/or NTP servers (desired.dm.time)'
        }
        &'dmctl;help;time;show'= {
        }
        &'dmctl;help;time;set'= {
        }
        &'dmctl;help;wifi'= {
            cand list 'List Wi-Fi profiles (dm.wifi.list)'
            cand add 'Add a profile, or replace the one with the same SSID (dm.wifi.add)'
            cand remove 'Remove profiles by id or SSID (dm.wifi.remove)'
        }
        &'dmctl;help;wifi;list'= {
        }
        &'dmctl;help;wifi;add'= {
        }
        &'dmctl;help;wifi;remove'= {
        }
        &'dmctl;help;logs'= {
            cand collect 'Collect journal entries and log files (dm.diagnostics.collect)'
        }
        &'dmctl;help;logs;collect'= {
        }
        &'dmctl;help;info'= {
        }
        &'dmctl;help;report-all'= {
        }
        &'dmctl;help;busy'= {
            cand show 'Busy leases held on the device now (reported.dm.busy)'
        }
        &'dmctl;help;busy;show'= {
        }
        &'dmctl;help;agent'= {
            cand update 'Replace the dm agent on the device with another version and restart it (dm.agent.update)'
        }
        &'dmctl;help;agent;update'= {
        }
        &'dmctl;help;ops'= {
            cand list 'Every operation the agent reports, in every section (id, op, section, state, times, error)'
            cand show 'One operation''s whole envelope'
            cand wait 'Follow operations to their final state, sending nothing (exit codes as --wait)'
            cand cancel 'Ask the agent to cancel a pending or postponed operation'
        }
        &'dmctl;help;ops;list'= {
        }
        &'dmctl;help;ops;show'= {
        }
        &'dmctl;help;ops;wait'= {
        }
        &'dmctl;help;ops;cancel'= {
        }
        &'dmctl;help;rollout'= {
            cand start 'Plan and run a rollout of a typed command (after `--`) in waves'
            cand status 'Waves, counts per outcome, failures and what is next (from the devices'' twin tags)'
            cand list 'The rollouts kept on this machine'
            cand pause 'Hold the running rollout before its next wave'
            cand resume 'Continue a paused rollout, or run an interrupted one from where its devices'' tags say'
            cand abort 'Start nothing more: devices not reached stay untouched'
        }
        &'dmctl;help;rollout;start'= {
        }
        &'dmctl;help;rollout;status'= {
        }
        &'dmctl;help;rollout;list'= {
        }
        &'dmctl;help;rollout;pause'= {
        }
        &'dmctl;help;rollout;resume'= {
        }
        &'dmctl;help;rollout;abort'= {
        }
        &'dmctl;help;plan'= {
        }
        &'dmctl;help;apply'= {
        }
        &'dmctl;help;wait'= {
        }
        &'dmctl;help;audit'= {
        }
        &'dmctl;help;hub'= {
            cand serve 'Run the local IoT Hub (HTTPS REST + MQTT) until Ctrl-C or SIGTERM'
            cand connection-string 'Print a connection string for the local hub in a data directory (no server needed)'
            cand container-sas 'Print a SAS URI for a blob container of the local hub''s own storage, for import/export jobs (`az iot hub device-identity export --bcu URI`) and storage clients'
        }
        &'dmctl;help;hub;serve'= {
        }
        &'dmctl;help;hub;connection-string'= {
        }
        &'dmctl;help;hub;container-sas'= {
        }
        &'dmctl;help;simulate'= {
        }
        &'dmctl;help;demo'= {
        }
        &'dmctl;help;profile'= {
            cand add 'Save a hub connection: the --hub string, or a local hub''s data directory'
            cand list 'List saved profiles'
            cand use 'Make a profile the default'
            cand remove 'Delete a profile'
        }
        &'dmctl;help;profile;add'= {
        }
        &'dmctl;help;profile;list'= {
        }
        &'dmctl;help;profile;use'= {
        }
        &'dmctl;help;profile;remove'= {
        }
        &'dmctl;help;completions'= {
        }
        &'dmctl;help;help'= {
        }
    ]
    $completions[$command]
}
