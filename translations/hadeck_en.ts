<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AppAction</name>
    <message>
        <source>%1 on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The agent&apos;s preflight:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go ahead?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preflight failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: %1 on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 failed: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppOverviewText</name>
    <message>
        <source>%1 replicates from %2, which is not in the inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replication on %1 is not running (IO %2, SQL %3): %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n writable masters: %1</source>
        <translation>
            <numerusform>%n writable master: %1</numerusform>
            <numerusform>%n writable masters: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 chunkservers are in maintenance: at 20 % or more the MooseFS master ignores maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a real server in IPVS but its Apache is not serving: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClusterActions</name>
    <message>
        <source>Not available yet: this console build has no action engine for it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fail over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2: actions need a live connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs membership of the group %1 on %2; user %3 has %4 access</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClusterChecks</name>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 missing on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 missing on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 weight %3 on %4, %5 on %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused the connection (host key or login); it is not retried until you act</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split brain: VRID %1 (%2) is MASTER on %3 at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No MASTER for VRID %1 (%2): its VIPs are down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VIP sets of VRID %1 differ between %2 and %3: a failover would lose addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPVS tables differ between %1 and %2 (%n difference(s))</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is in IPVS but fails the LVS-DR check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 fails the LVS-DR check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent something this console cannot read (protocol error); it is retried</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalived is not running on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its VIPs are still up: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split brain: the VIPs of VRID %1 (%2) are up on %3 at once; keepalived is not running on %4, the likely cause (its VIPs stay up after it dies)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No MASTER for VRID %1 (%2): its VIPs are down; keepalived is not running on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no HaDeck agent yet: use &quot;Install agent&quot; (or hadeckctl deploy %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 runs an agent of another protocol version: use &quot;Upgrade agent&quot; (or hadeckctl deploy %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent a state this console cannot read; its last readable state is shown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClusterModel</name>
    <message>
        <source>%1 is now %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (VRID %3) %4 → %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 added to %2 on %3 (weight %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 weight set to 0 in %2 on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 back in %2 on %3 (weight %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 removed from %2 on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleared: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionPool</name>
    <message>
        <source>no node named &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Ctl</name>
    <message>
        <source>no IPVS table from %1: the lint does not know its virtual services
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no IPVS table from %1 (not online: %2): the lint does not know its virtual services
</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DialogPrompter</name>
    <message>
        <source>Key passphrase — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passphrase. Try again for %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase for %1:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirewallLint</name>
    <message>
        <source>SSH from the console (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRRP adverts from the other director %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clients to the virtual service %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clients to %1 (LVS-DR: the VIP on this real server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalived health check from %1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MariaDB from the web node %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MariaDB replication with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS metalogger %1 to the master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS chunkserver %1 to the master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS client %1 to the master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS client %1 to this chunkserver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS chunkserver %1 (replication)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clients through the gateway to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocked: %1 — %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot judge: %1 — %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protocol %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by rule %1 %2 %3 #%4 &quot;%5&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by the %1 %2 %3 chain&apos;s %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expression %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the packet&apos;s %1 is not an address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the packet has no %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the match %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the packet&apos;s %1 is not known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the match meta %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the expression %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nesting too deep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set %1 is not in the ruleset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the packet&apos;s interface is not known (compared with &quot;%1&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>number compared with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prefix %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>operator %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chain %1 is not in the ruleset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>jumps nest too deep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>goto %1 fell through to the caller&apos;s caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verdict %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>statement %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verdict map %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>policy %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no filter chain on this hook: accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than %1 steps to judge one packet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Inventory</name>
    <message>
        <source>inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: missing &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: node #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: must be an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;name&quot; is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: node &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;transport&quot; must be &quot;ssh&quot; or &quot;local&quot;, not &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;address&quot; is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;port&quot; must be a number from 1 to 65535, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;roles&quot; must be a list of strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the top level must be an object with &quot;name&quot; and &quot;nodes&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: missing &quot;nodes&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;nodes&quot; must be a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid TOML: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read TOML values: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a node has no name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &quot;%1&quot; appears more than once; node names must be unique</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: port 0 is not valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: no address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: the agent socket path is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: a local node cannot have a jump host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &quot;%1&quot; names itself as its jump host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: jump host &quot;%2&quot; is not a node of this cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: jump host &quot;%2&quot; is not reached over SSH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: jump host &quot;%2&quot; has a jump host itself; chained jumps are not supported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no cluster named &quot;%1&quot;: neither a file nor an inventory in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is larger than 16 MiB; not an inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:%2:%3: the character U+%4 is not accepted in an inventory file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: invalid JSON: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <source>Load balancing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Application</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>director</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>real server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS chunkserver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS metalogger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>operate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRRP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protocol error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agent not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protocol version mismatch</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NodeState</name>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol version mismatch</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1 is not connected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RemoteHost</name>
    <message>
        <source>not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused to run a command: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection to %1 broke: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the command did not finish within %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 offers no SFTP (is the sftp subsystem enabled in sshd_config?): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create %1 on %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>writing %1 on %2 failed: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closing %1 on %2 failed: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 via %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no connection after %2 s (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at the jump host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect to %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SshTransport</name>
    <message>
        <source>idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resolving the address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSH handshake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verifying the host key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>authenticating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create an SSH session (out of memory?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSH handshake with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resolving %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot resolve %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verifying the host key of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent no host key: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HOST KEY MISMATCH for %1 (%2): %3 records %4, but the server presented %5 %6. Someone may be intercepting the connection, or the host was reinstalled. Not connecting. If the change is expected, remove the old entry from %3 and connect again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a different key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot check the host key of %1 against %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the host key of %1 (%2 %3) is not in %4, and nobody can be asked to accept it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the host key of %1 (%2 %3) was not accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot record the host key of %1 in %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>authenticating as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ssh-agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSH authentication as %1 failed: tried %2; no key file is configured for this node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the key file %1 for %2 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the private key %1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrong passphrase for the key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the key %1 is encrypted and no passphrase can be asked for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no passphrase given for the key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key file %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSH authentication with %1 broke off: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSH authentication as %1 failed: the server accepted none of %2. Check that the public key is in ~%3/.ssh/authorized_keys on %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no connection after %2 s (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opening a tunnel through %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opening the agent socket %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot create a channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: connection lost: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>streamlocal forwarding refused; starting %1 --bridge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: sshd refused both the agent socket and a session channel: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: sshd refused to run %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent a message larger than %2 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user &quot;%1&quot; may not use the agent on %2 (permission none): %3. Add the user to the group &quot;hadeck&quot; (read), &quot;hadeck-operator&quot; or &quot;hadeck-admin&quot; on that node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the agent bridge ended (exit status %2)%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the agent closed the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: write failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>jump host %1 could not open a connection to %2:%3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the jump relay: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the tunnel through %1 closed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the jump relay broke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the tunnel through %1 broke: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not read what the console sends (%2 bytes queued): link dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the HaDeck agent is not installed on %1: no socket %2 and no %3. Install it with &quot;Install agent&quot; or hadeckctl deploy %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TableExport</name>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export table as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export chart as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::console::AgentClient</name>
    <message>
        <source>the connection to %1 was closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection to %1 was restarted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not connected (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not answer %2 within %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused access: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: hello failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answered hello with something this console cannot read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user &quot;%1&quot; has no access to the agent on %2 (permission none): add the user to the group &quot;hadeck&quot; (read), &quot;hadeck-operator&quot; or &quot;hadeck-admin&quot; on that node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent a message that is not JSON-RPC: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answered in %2 ms (threshold %3 ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): no access to the agent (permission none): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protocol version mismatch: agent %1 (hadeck-agent %2), console %3. Upgrade the agent with &quot;Upgrade agent&quot; or hadeckctl deploy %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for %1 to reconnect…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not connected (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not reconnect within %2 s (the link had dropped: %3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::console::DeployJob</name>
    <message>
        <source>exit status %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exit status %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node&apos;s user id is not a number: &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node did not answer the check (no shell?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dpkg is missing: the agent&apos;s package needs Debian or a derivative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot make a temporary directory in /tmp for the upload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is not a Debian package (no Package, Version or Architecture field)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uploading the package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding the user to the group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the agent&apos;s hello</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 nodes deployed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this deployment has already started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no cluster is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no node to deploy to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the group must be one of %1 (got &quot;%2&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no node &quot;%1&quot; in the cluster %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is reached through a local socket, not SSH: install the package on it directly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the package %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the package %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checking the node failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not root on %2 and sudo is not installed there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no sudo password given for %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not use sudo on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sudo refused the password of %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uploading the package (%1 of %2 KiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uploading the package failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the uploaded package differs from %1 (SHA-256 on the node: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot check the uploaded package: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is not a Debian package: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the package is %1, not hadeck-agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the package is built for %1, the node is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installing hadeck-agent %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installing hadeck-agent %1 (was %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>installing failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>after the installation dpkg reports &quot;%1&quot;, not hadeck-agent %2 installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>root needs no group: it may do everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adding %1 to %2 failed: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>installed, but not started: policy-rc.d forbids starting services on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting the agent failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the sudo password of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node is not in the connection pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the agent did not answer hello within %1 s (%2: %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeck-agent %1 installed and online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeck-agent %1 was already installed; online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeck-agent upgraded from %1 to %2; online</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::console::DrainJob</name>
    <message>
        <source>Checking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partially applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No director is known in this cluster: connect to the directors first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preflight refused the drain:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drain of %1 marked complete by the admin with %2 connection(s) left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drain cancelled; %1 is back in rotation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drain cancelled, but restoring failed on: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 drained on %2 director(s) in %3 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight 0 is applied on some directors only. Failed: %1. Retry, or cancel to restore.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n persistence template(s) left, gone in %1 s (persistence_timeout %2 s)</source>
        <translation>
            <numerusform>%n persistence template left, gone in %1 s (persistence_timeout %2 s)</numerusform>
            <numerusform>%n persistence templates left, gone in %1 s (persistence_timeout %2 s)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n persistence template(s) left, gone %1 s after the last connection (persistence_timeout)</source>
        <translation>
            <numerusform>%n persistence template left, gone %1 s after the last connection (persistence_timeout)</numerusform>
            <numerusform>%n persistence templates left, gone %1 s after the last connection (persistence_timeout)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 drained on %2 director(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; connections still open: not measured yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; the real server counts %2 connection(s) still open (directors: %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the real server is not in the inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no virtual service address to count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; the real server&apos;s own count was not measured (%2); directors: %3 connection(s).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::console::FailoverJob</name>
    <message>
        <source>Checking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Releasing MASTER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giving back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No director reports MASTER for %1; nothing to fail over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already MASTER of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already MASTER; nothing to do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No other director has the instance %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lost the directors during the preflight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preflight refused the failover:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 stays in FAULT (maintenance) until you restore it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has the higher priority (%2 &gt; %3) and preempts: clearing its FAULT now would take the VIP straight back. It stays in FAULT until you restore it; set nopreempt (with state BACKUP on both directors) to let it rejoin as BACKUP.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rejoins as BACKUP: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nopreempt is set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its priority is not higher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused to release MASTER: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: track file set, instance going to FAULT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not become MASTER within %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VIP did not move to %1. %2 is left in FAULT so the cluster does not flap; check VRRP traffic between the directors, then restore %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is MASTER and holds the VIPs, verified after %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 became MASTER %2 ms after the release (keepalived&apos;s transition time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now MASTER of %2. %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not clear the FAULT on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now MASTER, but %2 is still in FAULT: restore it by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preflight passes: %1 can hand %2 over to %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preflight fails; only --force would go ahead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is MASTER and holds the VIPs, verified after %2 ms (pushed by the agents)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds the VIPs and %2 no longer does, verified after %3 ms (its agent still reports %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: track files set, going to FAULT: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: track file set, %2 going to FAULT, and with it %3 (the same track file)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::console::LiveActions</name>
    <message>
        <source>%1 is not a real server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No director is connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a director</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: weight %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is back in rotation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore failed on some directors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 weight %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 runs no VRRP instance with VRID %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A weight must be between 0 and %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not an address:port</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::console::LocalTransport</name>
    <message>
        <source>connecting to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>local socket %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the agent at %1 sent a message larger than %2 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no agent is listening at %1 (is hadeck-agent running?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>permission denied on the agent socket %1: the user must be in the group &quot;hadeck&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot reach the agent at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the agent at %1 closed the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the agent at %1 does not read what the console sends (%2 bytes queued): link dropped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::console::Preflight</name>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists on %2 but not on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: live real servers %2 on %3, %4 on %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is MASTER of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reports %2 for %3; only the MASTER can hand over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no VRRP instance named %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 declares the track file %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without it, %1 cannot be driven to FAULT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without it, %1, once MASTER, can be neither handed back nor taken out for maintenance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add these lines to its keepalived configuration and reload, or let HaDeck add them (admin: checked with keepalived -t, then reloaded):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console has no live connection to %1; its state is unknown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is BACKUP of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reports %2; it can take over only from BACKUP.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 receives adverts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only one sample of %1 so far; cannot tell whether adverts arrive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The advert counter of %1 did not move: VRRP packets (IP protocol 112) from %2 do not reach it. A failover now risks a split brain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both directors carry the same VIPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has %2; %3 has %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both IPVS tables have the same live real servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No drain is half-applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds drains [%2]; %3 holds [%4]. Retry or restore the drain first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 (persistence %3 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every director is reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be reached; a drain applied only on the others is lost after a failover.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a real server in IPVS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No virtual service on any director has %1 as a real server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other real servers keep serving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is the last real server with a non-zero weight in: %2. Draining it takes the service down; use --force only if that is what you want.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No persistence template keeps routing clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Persistent services with net.ipv4.vs.expire_quiescent_template=0: %1. Returning clients keep reaching %2 until their templates expire; set the sysctl to 1 to end them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Directors expire connections to removed real servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>net.ipv4.vs.expire_nodest_conn=0 on %1: once %2 leaves the table, a client that reuses its port follows a leftover connection entry to it and times out. Set net.ipv4.vs.expire_nodest_conn=1 on the directors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked: %1 did not answer, so their IPVS tables are unknown. Try again with a longer --timeout once the directors answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No virtual service on %1 has %2 as a real server; %3 did not answer, so its table is unknown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked: no director answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only %1 goes to FAULT on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 shares its track file on %2 with %3: they go to FAULT with it, and their VIPs move too. Give %1 a track file of its own to move it alone.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::console::SshTransport</name>
    <message>
        <source>%1 via %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::console::TrackFileJob</name>
    <message>
        <source>The new configuration passed keepalived -t and is installed, but keepalived could not be signalled to reload (is it running?). Reload it by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changing keepalived&apos;s configuration needs admin on %1; %2 has %3 there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing changed on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add these lines by hand where %1 is defined, then reload keepalived:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 now declares the hadeck track file for %3; keepalived -t found nothing new (its warnings were there before the edit):
%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 now declares the hadeck track file for %3; keepalived -t accepted it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The previous file is kept as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalived reloaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The agent does not list %1 as failover-capable yet; check keepalived&apos;s log on %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::AuditModel</name>
    <message>
        <source>intent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <extracomment>Column header: the cluster machine (host) a row is about.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::AuditView</name>
    <message>
        <source>User:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part of the action, e.g. drain or firewall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain verification (agent.auditVerify)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>intact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BROKEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>asking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not online</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n entries checked in %1</source>
        <translation>
            <numerusform>%n entry checked in %1</numerusform>
            <numerusform>%n entries checked in %1</numerusform>
        </translation>
    </message>
    <message>
        <source>first broken line %1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ChunkDiskModel</name>
    <message>
        <source>%1 of %2 (%3 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunkserver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Space used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ChunkserverModel</name>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 (%3 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunkserver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Space used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk errors</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ClusterManagerDialog</name>
    <message>
        <source>Clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clusters in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>~/.ssh/known_hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Known hosts file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jump host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the real servers found in IPVS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adds every address the open cluster&apos;s directors route to that has no node yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the cluster first: the real servers are read from its directors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save and connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open cluster inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster inventories (*.json *.toml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n real server(s) added from IPVS. Give them names and keys, then save.</source>
        <translation>
            <numerusform>%n real server added from IPVS. Give it a name and a key, then save.</numerusform>
            <numerusform>%n real servers added from IPVS. Give them names and keys, then save.</numerusform>
        </translation>
    </message>
    <message>
        <source>new-cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new cluster. Add its nodes, then save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ClusterTreeModel</name>
    <message>
        <source>%1 (%2/%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agent %1, user %2, %3 access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <extracomment>Column header: the cluster machine (host) a row is about.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::DatabaseView</name>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start replica…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop replica…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export table (CSV)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export chart (PNG)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replica lag (seconds), last 10 minutes; a gap: no lag known (a thread stopped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn read_only off…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn read_only on…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the replica threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the replica threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn read_only on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn read_only off</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::DeployDialog</name>
    <message>
        <source>Install or upgrade the HaDeck agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The package is copied to each node over SFTP and installed with apt; the SSH user is added to the group chosen below; then the agent is started and the console waits for its hello. Nodes are deployed in parallel. Deploying the same package again changes nothing; a newer one upgrades.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nodes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeck-agent_VERSION_ARCH.deb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeck: read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeck-operator: read, drain and fail over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeck-admin: everything, firewalls and configuration too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group for the SSH user:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hadeck-agent package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debian packages (*.deb);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploying to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sudo password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password of %1 for sudo on %2:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::DrainPanel</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draining %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Directors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Director</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Persistent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Real server and estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Established connections on %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy Apache workers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimated time left:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Elapsed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight 0 on every director after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preflight checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel drain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give %1 its weight back on every director and stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply weight 0 again on the directors that failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the drain done although connections remain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (forced)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connections left of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not in the inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lists more connections than the real server has open. It keeps an entry until the IPVS timeout when it did not see the connection close (after a failover the clients&apos; FINs went through the other director). The real server&apos;s own count decides.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drain %1</source>
        <comment>window title; %1 is a real server</comment>
        <extracomment>Window title. %1 is the real server being taken out of rotation (&quot;Drain web1&quot;).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::FailoverDialog</name>
    <message>
        <source>Fail over %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forced failover from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preflight checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New master: &lt;b&gt;%1&lt;/b&gt; (was %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified by the console after %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transition on the directors&apos; clocks: %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Track file missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add track file and reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fail over now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cluster was closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source># on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keepalived configuration of %1 lacks the hadeck track file, so the failover was refused. Add these lines and reload keepalived, or let HaDeck add them: it checks the new configuration with keepalived -t before installing it, keeps the old file beside it, then reloads keepalived.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running the preflight again...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: adding the track file, checking with keepalived -t...</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::FirewallView</name>
    <message>
        <source>Node:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add rule…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete rule…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back to last confirmed…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table / chain / rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nft text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the firewall of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>written by iptables-nft: edit it with iptables, not here</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n element(s) of type %1</source>
        <translation>
            <numerusform>%n element of type %1</numerusform>
            <numerusform>%n elements of type %1</numerusform>
        </translation>
    </message>
    <message>
        <source>iptables-legacy (read-only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ruleset %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change %1 on %2 is confirmed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The agent on %1 rolled back change %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the new connection to confirm it failed: %1 — the change most likely cut the console off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ROLLED BACK: the agent on %1 restored the ruleset from before change %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The agent on %1 could not roll back change %2 yet (%3): %4; it retries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changing the firewall needs membership of the group %1; you have %2 access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A change is waiting for its confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the change on %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nft refused the change (nothing changed):
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not applied on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it got through only after the deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirmed change %1 on %2 over a new connection; saved to %3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (previous file kept as %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Change %1 on %2 is live: confirming it over a new connection. The agent rolls it back in %n s unless confirmed.</source>
        <translation>
            <numerusform>Change %1 on %2 is live: confirming it over a new connection. The agent rolls it back in %n s unless confirmed.</numerusform>
            <numerusform>Change %1 on %2 is live: confirming it over a new connection. The agent rolls it back in %n s unless confirmed.</numerusform>
        </translation>
    </message>
    <message>
        <source>Change %1 on %2 was not confirmed in time: waiting for the agent&apos;s rollback…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new connection cannot get in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back the firewall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore the last confirmed ruleset of %1 (its persisted file)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not rolled back: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: restored %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy to same role…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain policy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set elements…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the new ruleset of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep it (confirm)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll it back now…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change %1 on %2 was confirmed from another connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep change %1 by %2 on %3? It is confirmed over a new connection, which proves the new rules still let the console in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep a pending firewall change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back a pending firewall change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back change %1 by %2 on %3 now, restoring the ruleset from before it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change %1 not rolled back: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: change %2 rolled back; restored %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer from %1 to the change (%2): it may be live. If it is, it shows here as pending once the link is back, and the agent rolls it back unless it is confirmed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unnamed user</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Change %1 by %2 is live on %3 and waits for its confirmation: the agent rolls it back in %n s (by the node&apos;s clock) unless it is kept.</source>
        <translation>
            <numerusform>Change %1 by %2 is live on %3 and waits for its confirmation: the agent rolls it back in %n second (by the node&apos;s clock) unless it is kept.</numerusform>
            <numerusform>Change %1 by %2 is live on %3 and waits for its confirmation: the agent rolls it back in %n seconds (by the node&apos;s clock) unless it is kept.</numerusform>
        </translation>
    </message>
    <message>
        <source>Change %1 by %2 on %3 was not confirmed in time: waiting for the agent&apos;s rollback…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… and %n more line(s)</source>
        <translation>
            <numerusform>… and %n more line</numerusform>
            <numerusform>… and %n more lines</numerusform>
        </translation>
    </message>
    <message>
        <source>No answer from %1 to the rollback of change %2 (%3): it may be rolled back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change %1 on %2 is rolled back, as asked.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::HostKeyDialog</name>
    <message>
        <source>Unknown host key — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2 port %3) presented a host key that is not in your known hosts. Compare the fingerprint with the one shown on the node itself (&lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub&lt;/tt&gt;) before you trust it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust and save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HOST KEY CHANGED — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;The host key of %1 (%2 port %3) has changed. HaDeck will not connect to it.&lt;/b&gt;&lt;br&gt;&lt;br&gt;Someone may be intercepting the connection, or the node was reinstalled. Ask whoever manages the node whether its key was replaced, and compare the new fingerprint with the one shown on the node&apos;s own console (&lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub&lt;/tt&gt;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none readable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not reported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presented key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Known hosts file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only if the new key is confirmed, remove the old one deliberately and reconnect:&lt;br&gt;&lt;tt&gt;ssh-keygen -R &apos;%1&apos; -f &apos;%2&apos;&lt;/tt&gt;&lt;br&gt;HaDeck then asks about the new key as for any unknown host.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::HostsView</name>
    <message>
        <source>Metric:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nodes compared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export chart (PNG)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU busy (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory used (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load (1 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network (bytes/s, in + out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk IO busy (%, busiest disk)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live (10 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apache busy workers (real servers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apache requests/s (real servers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queries/s (database nodes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (no data)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::LogModel</name>
    <message>
        <source>No time of its own: shown after the line before it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <extracomment>Column header: the cluster machine (host) a row is about.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::LogsView</name>
    <message>
        <source>Filter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text in the line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New lines as the nodes write them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to where the lines were before the jump to a timeline event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2: older lines left out (at most %3 a source)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::MainWindow</name>
    <message>
        <source>%1 — HaDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HaDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open cluster…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a cluster inventory file and connect to its nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Manage clusters…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create and edit cluster inventories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;screenshot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fit topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Services (IPVS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;VRRP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fail over</source>
        <extracomment>Menu action, a verb: move the VRRP MASTER role (and the VIPs) to the other director.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make &amp;master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About HaDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services (IPVS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRRP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarms and timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter services and real servers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift between directors is highlighted. Double-click a weight to change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One row per instance; expand it to compare the directors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No translation for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not done: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a node first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a real server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a director</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No cluster open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a cluster inventory with Ctrl+O, or create one with Ctrl+M.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MASTER on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 nodes online</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n critical alarm(s)</source>
        <translation>
            <numerusform>%n critical alarm</numerusform>
            <numerusform>%n critical alarms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarms: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active alarms (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No active alarms. The cross-node checks pass.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open cluster inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster inventories (*.json *.toml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save screenshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About HaDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;HaDeck %1&lt;/h3&gt;&lt;p&gt;The control room for LVS/keepalived high-availability web clusters: directors, real servers, databases and storage, live.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Firewall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Install agent…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Upgrade agent…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install or upgrade hadeck-agent on %1 over SSH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This session has no connections to deploy through</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Drain</source>
        <comment>verb: take a real server out of rotation</comment>
        <extracomment>Menu action, a verb: take the selected real server out of rotation (weight 0 on every director) and wait for its open connections to end. Not &quot;empty&quot; or &quot;discharge&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <comment>verb: put a drained real server back in rotation</comment>
        <extracomment>Menu action, a verb: put a drained real server back in rotation at its configured weight. Not a backup restore.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Node</source>
        <comment>menu: the selected cluster machine</comment>
        <extracomment>Menu title: actions on the selected cluster machine (a director, web, database or storage host).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ReplicationModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replica</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>standalone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not in the inventory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IO %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>executed %1, received %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <extracomment>Column header: the cluster machine (host) a row is about.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read_only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IO thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GTID</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ServicesModel</name>
    <message>
        <source>Virtual service / real server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 inactive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 conn/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A weight is a whole number from 0 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>absent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/%2 up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fails the LVS-DR check: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Directors disagree on this real server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no such real server in this service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight 0: no new connections (drained or taken out by a health check)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click to change the weight on %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::StorageView</name>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export chunkservers (CSV)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disks of the selected chunkserver (all disks when none is selected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 no longer reads the MooseFS master: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No node reads a MooseFS master yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS master %1 on %2 · RAM %3 · space %4 free of %5 · %6 files, %7 directories · %8 chunkservers, %9 metaloggers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunks: %1 · undergoal %2 · missing %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partly read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn maintenance off…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn maintenance on…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn maintenance on for chunkserver %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn maintenance off for chunkserver %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::TimelineModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <extracomment>Column header: the cluster machine (host) a row is about.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::TopologyScene</name>
    <message>
        <source>Virtual IPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no holder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRID %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>real server not in the inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prio %1 · %2 active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not in IPVS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight %1 · %2 active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight %1–%2 · %3 active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DRAINED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DR CHECK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gateways</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Directors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Real servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Databases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS storage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traffic (MASTER, weighted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standby (BACKUP, gateway)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drained (weight 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replication (lag on the edge)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replication stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS master to chunkserver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observed connection (agent&apos;s TCP view)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chunkserver not in the inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chunkserver · %1 % used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not in the inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DB master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DB replica</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DB standalone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 q/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DB %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REPL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS master</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n chunkserver(s)</source>
        <translation>
            <numerusform>%n chunkserver</numerusform>
            <numerusform>%n chunkservers</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 % used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MISSING</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNDERGOAL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DISCONNECTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAINT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metalogger</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n node(s)</source>
        <translation>
            <numerusform>%n node</numerusform>
            <numerusform>%n nodes</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 not reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped (IO %1, SQL %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lag %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lag unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ×%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2 s ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2 port %3: observed by %1&apos;s agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2 closed in the last minute</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::TopologyView</name>
    <message>
        <source>Find a node (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name, an address or a word on a card; Enter selects the next match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Legend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::VrrpModel</name>
    <message>
        <source>Instance / director</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VIPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds VIPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last transition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adverts sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adverts received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Became master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no MASTER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>split brain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MASTER on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>effective %1, configured %2, master advertises %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wants %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (base %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::ChainPolicyDialog</name>
    <message>
        <source>Policy of chain %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What chain %1 %2 %3 (hook %4) does with a packet that no rule decided:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the change…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::ChangePreviewDialog</name>
    <message>
        <source>SSH from this console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRRP between the directors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clients to a virtual service on the director</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clients to the VIP on this real server (LVS-DR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalived&apos;s health check from a director</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MariaDB (3306)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS (9419–9422)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clients through the gateway to a VIP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocked: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot judge: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caused by rule %1 %2 %3 #%4: %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caused by the policy of chain %1 %2 %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lint cannot read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packet: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Firewall change on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What changes in the ruleset (nft&apos;s own listing, + added, - removed):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the listing does not change)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preview of the new ruleset (%1): the lockout lint cannot judge it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The lockout lint found %n packet(s) the cluster needs that this change would block or that it cannot judge:</source>
        <translation>
            <numerusform>The lockout lint found %n packet the cluster needs that this change would block or that it cannot judge:</numerusform>
            <numerusform>The lockout lint found %n packets the cluster needs that this change would block or that it cannot judge:</numerusform>
        </translation>
    </message>
    <message>
        <source>The lockout lint: nothing the cluster needs is blocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back unless confirmed within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply anyway (recorded in the audit log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console confirms the change over a new connection; if that cannot get in, the agent restores the current ruleset by itself at the deadline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::RuleCopyDialog</name>
    <message>
        <source>Copy a rule to nodes of the same role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule of %1, chain %2 %3 %4:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each node gets a change of its own: checked by nft, judged by the lockout lint for that node, applied and confirmed over a new connection, one node after the other. A node where the lint finds a blocked packet is left unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reports no role: there is no node to copy to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nodes that share a role with %1 (%2):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back each unless confirmed within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied and confirmed on %1 of %2 node(s).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::RuleCopyJob</name>
    <message>
        <source>not connected: nothing changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading its ruleset…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read its firewall: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it has no chain %1 %2 %3: nothing changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checking (nft dry run and lockout lint)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not checked: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nft refused the rule (nothing changed): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no preview of the new ruleset (%1): the lint cannot judge it, so it was not applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>not applied: the lockout lint found %n blocked packet(s):</source>
        <translation>
            <numerusform>not applied: the lockout lint found %n blocked packet:</numerusform>
            <numerusform>not applied: the lockout lint found %n blocked packets:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>applying (rolled back in %n s unless confirmed)…</source>
        <translation>
            <numerusform>applying (rolled back in %n s unless confirmed)…</numerusform>
            <numerusform>applying (rolled back in %n s unless confirmed)…</numerusform>
        </translation>
    </message>
    <message>
        <source>not applied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change %1 is live: confirming it over a new connection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>change %1 applied but a new connection cannot get in (%2): the agent rolls it back within %n s</source>
        <translation>
            <numerusform>change %1 applied but a new connection cannot get in (%2): the agent rolls it back within %n s</numerusform>
            <numerusform>change %1 applied but a new connection cannot get in (%2): the agent rolls it back within %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>change %1 not confirmed (%2): the agent rolls it back at its deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>confirmed change %1 over a new connection; saved to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>no answer to the apply (%1): it may be live; if it is, the Firewall tab shows it as pending and the agent rolls it back within %n s unless it is confirmed</source>
        <translation>
            <numerusform>no answer to the apply (%1): it may be live; if it is, the Firewall tab shows it as pending and the agent rolls it back within %n second unless it is confirmed</numerusform>
            <numerusform>no answer to the apply (%1): it may be live; if it is, the Firewall tab shows it as pending and the agent rolls it back within %n seconds unless it is confirmed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::RuleEditorDialog</name>
    <message>
        <source>Add a firewall rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Position:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expert: write the rule as nft text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Named sets: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any (address, prefix such as 198.18.1.0/24, or @set)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any (22, 80,443, 8000-8080 or @set)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log (and go on)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>count only (and go on)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log prefix (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source ports:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destination:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destination ports:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In interface:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out interface:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection state:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log prefix:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an nft rule, e.g. tcp dport 8443 ct state new counter accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the change…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at the end of the chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at the start of the chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>before #%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>after #%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this ruleset has no chain to add a rule to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the rule is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet a rule: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nft: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::RuleWords</name>
    <message>
        <source>set %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>return to the calling chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>jump to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>go to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log as &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>coming in on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>going out on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in connection state %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(and a match shown only in the nft text)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>regular chain (reached by jump or goto)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 hook %2, priority %3, policy %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown protocol &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown action &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an interface name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not an address, a prefix or @set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; does not fit a table of family %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ports need the protocol tcp or udp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a port, a list (80,443), a range (8000-8080) or @set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown connection state &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the log prefix may hold letters, digits, spaces and _ . : = - (at most 60)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the comment may not hold quotes or line breaks (at most 128 characters)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::SetElementsDialog</name>
    <message>
        <source>Elements of %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 %3, type %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add (comma-separated, e.g. 198.18.1.5, 198.18.2.0/24):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the elements to delete:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the change…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing to add or delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nft: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet a change: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>hadeckctl</name>
    <message>
        <source>hadeckctl: no director in this cluster answered
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: hadeckctl drain NODE|ADDRESS [--service KEY] [--port N] [--force] [--wait] [--drain-timeout S] [--on-timeout wait|force|cancel|fail]
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preflight for %1:
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA -</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 left  directors %3  server %4  busy %5  %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting another %1 s.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed out with %1 connection(s) left; the drain stays applied. Choose with --on-timeout=wait|force|cancel (or run on a terminal to be asked), or: hadeckctl restore %2
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: hadeckctl restore NODE|ADDRESS [--service KEY] [--port N]
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalived&apos;s configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the weight before the drain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; it was %1 before the drain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 weight %3 (from %4)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lacks the hadeck track file for %2. To add it (admin: checked with keepalived -t, then keepalived reloaded):
    %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: hadeckctl failover INSTANCE [--group GROUP] [--to DIRECTOR] [--force] [--keep-out]
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: hadeckctl maintenance DIRECTOR on|off INSTANCE
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl: %1 is not a director of this cluster
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is out of service for %2 (FAULT) until: hadeckctl maintenance %1 off %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is back in service for %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: hadeckctl add-track DIRECTOR INSTANCE
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show each node&apos;s connection state, roles, user and permission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE|ADDRESS: weight 0 on every director, held; --wait follows it to zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE|ADDRESS: release a drain and give the weight back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INSTANCE: hand MASTER to the peer director, verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DIRECTOR on|off INSTANCE: keep a director out of VRRP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DIRECTOR INSTANCE: add the hadeck track file to keepalived&apos;s configuration, check it with keepalived -t, reload (admin)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status takes no arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STATE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ROLES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>USER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PERMISSION</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster inventory: a file path or a cluster name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FILE|NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never ask: refuse unknown host keys and encrypted keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Machine-readable output on stdout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drain: follow the drain until no connection is left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drain, failover: go ahead although a preflight check failed (audited).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failover: keep the old MASTER in FAULT (director maintenance).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drain, restore: only this virtual service, e.g. &quot;TCP 198.18.0.100:80&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drain, restore: only the real server&apos;s port N.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GROUP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failover: the director that must become MASTER.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DIRECTOR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drain --wait: seconds before the timeout choice (default 600).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drain --wait: at the timeout, wait (another period), force (call it done), cancel (give the weight back) or fail (exit 5, the drain stays). Default: ask on a terminal, else fail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CHOICE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to do (see Commands).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no command given; try --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;; try --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--port needs a port number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--on-timeout takes wait, force, cancel or fail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--drain-timeout needs a number of seconds from 1 to 86400</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--timeout needs a number of seconds from 1 to 3600</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no cluster inventory in %1; give one with --cluster FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>several clusters (%1); choose one with --cluster NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The authenticity of host %1 (%2, port %3) can&apos;t be established.
%4 key fingerprint is %5.
Accept it and add it to %6? (y/N) </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passphrase.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase for %1 (node %2): </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed out after %1 s with %2 connection(s) left. [w]ait another %3 s, [f]orce (call it done), [c]ancel (give the weight back), or [q]uit (the drain stays)? </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please answer w, f, c or q.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the messages: en or zh_CN (default: HADECK_LANG, else the locale).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CODE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRITICAL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2, read_only %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  %1 &lt;- %2: IO %3, SQL %4, lag %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no database server answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no node reads a MooseFS master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS %1 on %2: %3 of %4 free, %5 files, %6 chunks, %7 undergoal, %8 missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  chunkserver %1:%2 %3, maintenance %4, %5 chunks, %6 of %7 used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DISCONNECTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  metalogger %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no answer (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: load %2, CPU %3 %, memory %4 %, fullest %5 at %6 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  Apache %1: %2 busy, %3 idle of %4, %5 requests/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: logs NODE SOURCE [--since 1h] [--grep TEXT] [--lines N]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--since takes 30s, 15m, 2h, 1d, unix seconds or an ISO date-time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not online: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer within the timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(older lines left out; narrow with --since or --grep)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: history NODE [SERIES] [--since 1h] [--step S]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not done: the preflight warns; repeat with --force to go ahead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: db-replica NODE start|stop [--force]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: db-read-only NODE on|off [--force]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: mfs-maintenance MASTER_NODE CHUNKSERVER_IP on|off [--port 9422] [--force]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replication topology: masters, replicas, threads and lag, with the checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MooseFS: master, chunkservers, space and chunk health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host health, Apache workers and the observed edges between nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE SOURCE: lines of a named log source (--since, --grep, --lines)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE [SERIES]: a series from the agent&apos;s history, or the list (--since, --step)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE start|stop: the replica threads, after a preflight (--force past its warnings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE on|off: the server&apos;s read_only, after a preflight (--force past its warnings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MASTER_NODE CHUNKSERVER_IP on|off: chunkserver maintenance; the preflight shows the 20 % rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show|pending|check|diff|apply|confirm|rollback NODE: the node&apos;s nftables firewall; apply is commit-confirmed and confirmed over a new connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  (owned by iptables-nft: edit with iptables)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  [%1 packets, %2 bytes]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>iptables-legacy (read-only): %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hash %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl fw: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl fw: could not confirm over a new connection: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>confirmed %1 over a new connection; persisted to %2%3
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (previous kept as %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: hadeckctl fw show|pending|check|diff|apply|confirm|rollback NODE ...
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl fw: no node &quot;%1&quot; in the inventory
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: hadeckctl fw confirm NODE ID
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing is waiting for confirmation on %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: change %2 by %3, rolled back at %4 unless confirmed
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>restored %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl fw: unknown subcommand &quot;%1&quot;
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nft refused the change (nothing changed):
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no preview of the new ruleset (%1): the lockout lint cannot judge it
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lint: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lint: nothing the cluster needs is blocked
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl fw: not applied: the change blocks or cannot be judged for what the cluster needs; --force applies it anyway (audited)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applied %1 on %2; confirming over a new connection (rolled back in %3 s otherwise)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fw: a rule (nft text) to add; repeatable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RULE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fw: the chain of --add-rule, FAMILY/TABLE/CHAIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CHAIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fw apply: seconds before the agent rolls back (10 to 600, default 60).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SECONDS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>logs, history: from this time on (30s, 15m, 2h, 1d, unix seconds or ISO).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WHEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>logs: only lines containing this text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TEXT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>logs: at most N lines (default 200).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history: seconds between points (60 and more: minute means).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>logs: keep printing new lines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--lines needs a number from 1 to 5000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--step needs a number of seconds from 1 to 86400</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--confirm-within needs a number of seconds from 10 to 600</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 stale on %2 (not holding the VIP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Follow with: hadeckctl drain %2 --wait
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No active alarm.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(acknowledged by %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not list its alarms: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alarms takes no arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check takes no arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>CRITICAL: %n alarm(s)</source>
        <translation>
            <numerusform>CRITICAL: %n alarm</numerusform>
            <numerusform>CRITICAL: %n alarms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>WARNING: %n alarm(s)</source>
        <translation>
            <numerusform>WARNING: %n alarm</numerusform>
            <numerusform>WARNING: %n alarms</numerusform>
        </translation>
    </message>
    <message>
        <source>OK: no warning or critical alarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the active alarms: each agent&apos;s own and the checks across nodes (split brain, keepalived down, ...)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the alarms as an exit code for cron or a systemd timer: 0 none, 7 a warning, 8 a critical one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  %1: VRRP unknown (%2)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  %1: keepalived is not running
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  %1  %2  %3  %4
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds the VIPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does not hold the VIPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRRP:
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALARMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scripting access to a HaDeck cluster.

Commands:
%1
Clusters are files in %2 (use the base name) or any path.

Exit codes:
  0  every node online (or degraded: reachable but slow)
  1  some node unreachable or not answering in time
  2  usage or inventory error
  3  some node refused: unknown or changed host key, authentication, or permission
  4  an action was refused by its preflight checks, or failed
  5  drain --wait timed out with connections left (not forced; with --on-timeout=cancel the weight is back)
  6  some node sent what this console cannot read (protocol error); it is retried
  7  check: a warning alarm is active, or a node did not list its alarms
  8  check: a critical alarm is active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds to wait for the nodes (default 10; 30 for drain, restore, failover, maintenance and add-track).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not in the inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not online: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: chain intact, %2 entries (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: chain BROKEN at line %2 of %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[NODE...]: the agents&apos; audit entries merged in time order (--user, --grep ACTION, --since, --lines), and each node&apos;s chain verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE...: install or upgrade hadeck-agent over SSH (--package FILE.deb, --group; sudo asks for the password)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: hadeckctl deploy NODE... [--package FILE.deb] [--group hadeck|hadeck-operator|hadeck-admin]
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl: no hadeck-agent_*.deb here or beside hadeckctl; give one with --package FILE.deb
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: sudo needs the password of %2, and this run may not ask (--batch or no terminal)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[sudo] password of %1 on %2: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deploying %1 to %2
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--add-rule and --policy need --chain FAMILY/TABLE/CHAIN, e.g. inet/filter/input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--add-element and --delete-element need --set FAMILY/TABLE/SET, e.g. inet/filter/admins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give a FILE of nft commands, --add-rule RULE --chain FAMILY/TABLE/CHAIN, --policy POLICY --chain FAMILY/TABLE/CHAIN, or --add-element/--delete-element ELEMENT --set FAMILY/TABLE/SET</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot judge: the virtual services are not known (no IPVS table from %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applied %1 on %2, not confirmed (--no-confirm): hadeckctl fw confirm %2 %1 keeps it; otherwise the agent rolls it back in %3 s
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: done
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: failed (exit %2)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failover, maintenance: the whole VRRP sync group. deploy: the SSH user&apos;s group on the node, hadeck (read), hadeck-operator or hadeck-admin (default hadeck).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fw: set the policy of --chain to accept or drop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POLICY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fw: the named set of --add-element/--delete-element, FAMILY/TABLE/SET.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SET</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fw: an element to add to --set; repeatable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ELEMENT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fw: an element to delete from --set; repeatable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fw check/apply: also every node that shares a role with NODE, each with a change of its own, checked, linted and confirmed on its own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fw apply: leave the change pending, to be confirmed with fw confirm after checking it; unconfirmed, the agent rolls it back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deploy: the hadeck-agent .deb (default: the newest hadeck-agent_*.deb here or in the build&apos;s packages directory).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deploy: how to start the agent on the node, run as root (default: systemd, else start-stop-daemon; both only where policy-rc.d allows it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CMD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>audit: only this user&apos;s entries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the checks across nodes ran without what it could not give (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 already closed on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the cluster&apos;s changes as they happen: links, VRRP transitions, real servers, alarms (--json: one object a line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>watch takes no arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Watching %n node(s) of %1; Ctrl+C ends.</source>
        <translation>
            <numerusform>Watching %n node of %1; Ctrl+C ends.</numerusform>
            <numerusform>Watching %n nodes of %1; Ctrl+C ends.</numerusform>
        </translation>
    </message>
    <message>
        <source>edge %1 -&gt; %2:%3 (%4 connections, %5 closed in the last minute)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl fw: no answer from %1 to the apply (%2): the change may be live
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl fw: cannot ask %1 over a new connection either (%2): if the change is live it may have cut this console off; unconfirmed, the agent rolls it back at its deadline (--confirm-within)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing is waiting for confirmation on %1: the change was not applied, or is rolled back already
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: change %2 by %3 is live, rolled back at %4 unless confirmed: hadeckctl fw confirm %1 %2 keeps it, hadeckctl fw rollback %1 %2 ends it now
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl fw: no answer from %1 to the confirm of %2 (%3): it may have been kept
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hadeckctl fw: cannot ask %1 over a new connection either (%2): hadeckctl fw pending %1 tells once it answers; unconfirmed, the agent rolls the change back at its deadline
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: change %2 still waits for confirmation, rolled back at %3: hadeckctl fw confirm %1 %2 keeps it
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: change %2 no longer waits for confirmation: it was kept, or rolled back at its deadline (hadeckctl fw show %1 shows the rules in force)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also out of service on %1 (they share the track file): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also back in service on %1 (they share the track file): %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>HaDeck console: the control room for LVS/keepalived clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the cluster inventory FILE at start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the main window to the PNG FILE, then exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait MS milliseconds before the screenshot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User-interface language: zh_CN or en.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Palette: system, light or dark.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the cluster</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
