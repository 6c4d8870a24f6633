<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AppAction</name>
    <message>
        <source>%1 on %2.</source>
        <translation>在 %2 上%1。</translation>
    </message>
    <message>
        <source>The agent&apos;s preflight:</source>
        <translation>代理的预检：</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>Go ahead?</source>
        <translation>是否继续？</translation>
    </message>
    <message>
        <source>%1 is not online.</source>
        <translation>%1 不在线。</translation>
    </message>
    <message>
        <source>The preflight failed: %1</source>
        <translation>预检失败：%1</translation>
    </message>
    <message>
        <source>Cancelled: %1 on %2.</source>
        <translation>已取消：在 %2 上%1。</translation>
    </message>
    <message>
        <source>%1 on %2 failed: %3</source>
        <translation>在 %2 上%1失败：%3</translation>
    </message>
</context>
<context>
    <name>AppOverviewText</name>
    <message>
        <source>%1 replicates from %2, which is not in the inventory</source>
        <translation>%1 从 %2 复制，但 %2 不在清单中</translation>
    </message>
    <message>
        <source>replication on %1 is not running (IO %2, SQL %3): %4</source>
        <translation>%1 上的复制未在运行（IO %2，SQL %3）：%4</translation>
    </message>
    <message numerus="yes">
        <source>%n writable masters: %1</source>
        <translation>
            <numerusform>%n 个可写主库：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 chunkservers are in maintenance: at 20 % or more the MooseFS master ignores maintenance</source>
        <translation>%2 个块服务器中有 %1 个处于维护状态：达到 20 % 或以上时，MooseFS 主服务器会忽略维护</translation>
    </message>
    <message>
        <source>%1 is a real server in IPVS but its Apache is not serving: %2</source>
        <translation>%1 是 IPVS 中的真实服务器，但其 Apache 未在服务：%2</translation>
    </message>
</context>
<context>
    <name>ClusterActions</name>
    <message>
        <source>Not available yet: this console build has no action engine for it</source>
        <translation>暂不可用：此版本的控制台没有该操作的执行引擎</translation>
    </message>
    <message>
        <source>Drain</source>
        <translation>排空</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Set weight</source>
        <translation>设置权重</translation>
    </message>
    <message>
        <source>Fail over</source>
        <translation>主备切换</translation>
    </message>
    <message>
        <source>Make master</source>
        <translation>设为主节点</translation>
    </message>
    <message>
        <source>%1 is %2: actions need a live connection</source>
        <translation>%1 状态为%2：执行操作需要在线连接</translation>
    </message>
    <message>
        <source>Needs membership of the group %1 on %2; user %3 has %4 access</source>
        <translation>需要在 %2 上属于用户组 %1；用户 %3 当前仅有“%4”权限</translation>
    </message>
</context>
<context>
    <name>ClusterChecks</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>%1 missing on %2</source>
        <translation>%2 上缺少 %1</translation>
    </message>
    <message>
        <source>%1 %2 missing on %3</source>
        <translation>%3 上缺少 %1 %2</translation>
    </message>
    <message>
        <source>%1 %2 weight %3 on %4, %5 on %6</source>
        <translation>%1 %2 在 %4 上权重为 %3，在 %6 上为 %5</translation>
    </message>
    <message>
        <source>%1 is unreachable</source>
        <translation>%1 无法连接</translation>
    </message>
    <message>
        <source>%1 refused the connection (host key or login); it is not retried until you act</source>
        <translation>%1 拒绝了连接（主机密钥或登录失败）；在您处理之前不会重试</translation>
    </message>
    <message>
        <source>Split brain: VRID %1 (%2) is MASTER on %3 at once</source>
        <translation>脑裂：VRID %1（%2）同时在 %3 上为 MASTER</translation>
    </message>
    <message>
        <source>No MASTER for VRID %1 (%2): its VIPs are down</source>
        <translation>VRID %1（%2）没有 MASTER：其 VIP 已不可用</translation>
    </message>
    <message>
        <source>VIP sets of VRID %1 differ between %2 and %3: a failover would lose addresses</source>
        <translation>VRID %1 的 VIP 集合在 %2 与 %3 之间不一致：切换后会丢失地址</translation>
    </message>
    <message>
        <source>IPVS tables differ between %1 and %2 (%n difference(s))</source>
        <translation>%1 与 %2 的 IPVS 表不一致（%n 处差异）</translation>
    </message>
    <message>
        <source>%1 is in IPVS but fails the LVS-DR check</source>
        <translation>%1 在 IPVS 中，但未通过 LVS-DR 检查</translation>
    </message>
    <message>
        <source>%1 fails the LVS-DR check</source>
        <translation>%1 未通过 LVS-DR 检查</translation>
    </message>
    <message>
        <source>%1 sent something this console cannot read (protocol error); it is retried</source>
        <translation>%1 发送了本控制台无法读取的内容（协议错误）；将重试</translation>
    </message>
    <message>
        <source>keepalived is not running on %1</source>
        <translation>%1 上的 keepalived 未在运行</translation>
    </message>
    <message>
        <source>its VIPs are still up: %1</source>
        <translation>其 VIP 仍然在线：%1</translation>
    </message>
    <message>
        <source>Split brain: the VIPs of VRID %1 (%2) are up on %3 at once; keepalived is not running on %4, the likely cause (its VIPs stay up after it dies)</source>
        <translation>脑裂：VRID %1（%2）的 VIP 同时在 %3 上在线；%4 上的 keepalived 未在运行，很可能是原因（它退出后 VIP 仍然保留）</translation>
    </message>
    <message>
        <source>No MASTER for VRID %1 (%2): its VIPs are down; keepalived is not running on %3</source>
        <translation>VRID %1（%2）没有 MASTER：其 VIP 已下线；%3 上的 keepalived 未在运行</translation>
    </message>
    <message>
        <source>%1 has no HaDeck agent yet: use &quot;Install agent&quot; (or hadeckctl deploy %1)</source>
        <translation>%1 尚无 HaDeck 代理：请使用“安装代理”（或 hadeckctl deploy %1）</translation>
    </message>
    <message>
        <source>%1 runs an agent of another protocol version: use &quot;Upgrade agent&quot; (or hadeckctl deploy %1)</source>
        <translation>%1 运行的代理协议版本不同：请使用“升级代理”（或 hadeckctl deploy %1）</translation>
    </message>
    <message>
        <source>%1 sent a state this console cannot read; its last readable state is shown</source>
        <translation>%1 发来的状态本控制台无法读取；显示的是它最后一次可读的状态</translation>
    </message>
</context>
<context>
    <name>ClusterModel</name>
    <message>
        <source>%1 is now %2</source>
        <translation>%1 现在%2</translation>
    </message>
    <message>
        <source>%1: %2 (VRID %3) %4 → %5</source>
        <translation>%1：%2（VRID %3）%4 → %5</translation>
    </message>
    <message>
        <source>%1 added to %2 on %3 (weight %4)</source>
        <translation>%1 已加入 %3 上的 %2（权重 %4）</translation>
    </message>
    <message>
        <source>%1 weight set to 0 in %2 on %3</source>
        <translation>%1 在 %3 上的 %2 中权重被设为 0</translation>
    </message>
    <message>
        <source>%1 back in %2 on %3 (weight %4)</source>
        <translation>%1 已重新加入 %3 上的 %2（权重 %4）</translation>
    </message>
    <message>
        <source>%1 removed from %2 on %3</source>
        <translation>%1 已从 %3 上的 %2 中移除</translation>
    </message>
    <message>
        <source>Cleared: %1</source>
        <translation>已解除：%1</translation>
    </message>
</context>
<context>
    <name>ConnectionPool</name>
    <message>
        <source>no node named &quot;%1&quot;</source>
        <translation>没有名为“%1”的节点</translation>
    </message>
</context>
<context>
    <name>Ctl</name>
    <message>
        <source>no IPVS table from %1: the lint does not know its virtual services
</source>
        <translation>未收到 %1 的 IPVS 表：检查器不知道它的虚拟服务
</translation>
    </message>
    <message>
        <source>no IPVS table from %1 (not online: %2): the lint does not know its virtual services
</source>
        <translation>没有来自 %1 的 IPVS 表（不在线：%2）：检查无法得知其虚拟服务
</translation>
    </message>
</context>
<context>
    <name>DialogPrompter</name>
    <message>
        <source>Key passphrase — %1</source>
        <translation>密钥口令 — %1</translation>
    </message>
    <message>
        <source>Wrong passphrase. Try again for %1:</source>
        <translation>口令错误。请重新输入 %1 的口令：</translation>
    </message>
    <message>
        <source>Passphrase for %1:</source>
        <translation>%1 的口令：</translation>
    </message>
</context>
<context>
    <name>FirewallLint</name>
    <message>
        <source>SSH from the console (%1)</source>
        <translation>来自本控制台（%1）的 SSH</translation>
    </message>
    <message>
        <source>VRRP adverts from the other director %1</source>
        <translation>来自另一台调度器 %1 的 VRRP 通告</translation>
    </message>
    <message>
        <source>clients to the virtual service %1</source>
        <translation>客户端访问虚拟服务 %1</translation>
    </message>
    <message>
        <source>clients to %1 (LVS-DR: the VIP on this real server)</source>
        <translation>客户端访问 %1（LVS-DR：本真实服务器上的 VIP）</translation>
    </message>
    <message>
        <source>keepalived health check from %1 for %2</source>
        <translation>来自 %1 的 keepalived 健康检查（%2）</translation>
    </message>
    <message>
        <source>MariaDB from the web node %1</source>
        <translation>来自 Web 节点 %1 的 MariaDB 连接</translation>
    </message>
    <message>
        <source>MariaDB replication with %1</source>
        <translation>与 %1 之间的 MariaDB 复制</translation>
    </message>
    <message>
        <source>MooseFS metalogger %1 to the master</source>
        <translation>MooseFS 元数据日志服务器 %1 到主控服务器</translation>
    </message>
    <message>
        <source>MooseFS chunkserver %1 to the master</source>
        <translation>MooseFS 块服务器 %1 到主控服务器</translation>
    </message>
    <message>
        <source>MooseFS client %1 to the master</source>
        <translation>MooseFS 客户端 %1 到主控服务器</translation>
    </message>
    <message>
        <source>MooseFS client %1 to this chunkserver</source>
        <translation>MooseFS 客户端 %1 到本块服务器</translation>
    </message>
    <message>
        <source>MooseFS chunkserver %1 (replication)</source>
        <translation>MooseFS 块服务器 %1（复制）</translation>
    </message>
    <message>
        <source>clients through the gateway to %1</source>
        <translation>客户端经网关访问 %1</translation>
    </message>
    <message>
        <source>blocked: %1 — %2, %3</source>
        <translation>被阻断：%1 — %2，%3</translation>
    </message>
    <message>
        <source>cannot judge: %1 — %2, %3</source>
        <translation>无法判断：%1 — %2，%3</translation>
    </message>
    <message>
        <source>protocol %1</source>
        <translation>协议 %1</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>入口 %1</translation>
    </message>
    <message>
        <source>out %1</source>
        <translation>出口 %1</translation>
    </message>
    <message>
        <source>by rule %1 %2 %3 #%4 &quot;%5&quot;</source>
        <translation>由规则 %1 %2 %3 #%4 &quot;%5&quot; 造成</translation>
    </message>
    <message>
        <source>by the %1 %2 %3 chain&apos;s %4</source>
        <translation>由链 %1 %2 %3 的 %4 造成</translation>
    </message>
    <message>
        <source>expression %1</source>
        <translation>表达式 %1</translation>
    </message>
    <message>
        <source>the packet&apos;s %1 is not an address</source>
        <translation>数据包的 %1 不是地址</translation>
    </message>
    <message>
        <source>the packet has no %1</source>
        <translation>数据包没有 %1</translation>
    </message>
    <message>
        <source>the match %1 %2</source>
        <translation>匹配项 %1 %2</translation>
    </message>
    <message>
        <source>the packet&apos;s %1 is not known</source>
        <translation>数据包的 %1 未知</translation>
    </message>
    <message>
        <source>the match meta %1</source>
        <translation>匹配项 meta %1</translation>
    </message>
    <message>
        <source>the expression %1 %2</source>
        <translation>表达式 %1 %2</translation>
    </message>
    <message>
        <source>nesting too deep</source>
        <translation>嵌套过深</translation>
    </message>
    <message>
        <source>set %1 is not in the ruleset</source>
        <translation>规则集中没有集合 %1</translation>
    </message>
    <message>
        <source>address %1</source>
        <translation>地址 %1</translation>
    </message>
    <message>
        <source>value &quot;%1&quot;</source>
        <translation>值 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the packet&apos;s interface is not known (compared with &quot;%1&quot;)</source>
        <translation>数据包的接口未知（与 &quot;%1&quot; 比较）</translation>
    </message>
    <message>
        <source>number compared with %1</source>
        <translation>数字与 %1 比较</translation>
    </message>
    <message>
        <source>prefix %1</source>
        <translation>前缀 %1</translation>
    </message>
    <message>
        <source>value %1</source>
        <translation>值 %1</translation>
    </message>
    <message>
        <source>operator %1</source>
        <translation>运算符 %1</translation>
    </message>
    <message>
        <source>chain %1 is not in the ruleset</source>
        <translation>规则集中没有链 %1</translation>
    </message>
    <message>
        <source>jumps nest too deep</source>
        <translation>跳转嵌套过深</translation>
    </message>
    <message>
        <source>goto %1 fell through to the caller&apos;s caller</source>
        <translation>goto %1 落回了调用者的调用者</translation>
    </message>
    <message>
        <source>verdict %1</source>
        <translation>裁决 %1</translation>
    </message>
    <message>
        <source>statement %1</source>
        <translation>语句 %1</translation>
    </message>
    <message>
        <source>verdict map %1</source>
        <translation>裁决映射 %1</translation>
    </message>
    <message>
        <source>%1 statement</source>
        <translation>%1 语句</translation>
    </message>
    <message>
        <source>policy %1</source>
        <translation>策略 %1</translation>
    </message>
    <message>
        <source>no filter chain on this hook: accepted</source>
        <translation>此钩子上没有过滤链：放行</translation>
    </message>
    <message>
        <source>more than %1 steps to judge one packet</source>
        <translation>判断一个数据包需要超过 %1 步</translation>
    </message>
</context>
<context>
    <name>Inventory</name>
    <message>
        <source>inventory</source>
        <translation>清单</translation>
    </message>
    <message>
        <source>%1: missing &quot;%2&quot;</source>
        <translation>%1：缺少“%2”</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a string</source>
        <translation>%1：“%2”必须是字符串</translation>
    </message>
    <message>
        <source>%1: node #%2</source>
        <translation>%1：第 %2 个节点</translation>
    </message>
    <message>
        <source>%1: must be an object</source>
        <translation>%1：必须是对象</translation>
    </message>
    <message>
        <source>%1: &quot;name&quot; is empty</source>
        <translation>%1：“name”为空</translation>
    </message>
    <message>
        <source>%1: node &quot;%2&quot;</source>
        <translation>%1：节点“%2”</translation>
    </message>
    <message>
        <source>%1: &quot;transport&quot; must be &quot;ssh&quot; or &quot;local&quot;, not &quot;%2&quot;</source>
        <translation>%1：“transport”必须是“ssh”或“local”，而不是“%2”</translation>
    </message>
    <message>
        <source>%1: &quot;address&quot; is empty</source>
        <translation>%1：“address”为空</translation>
    </message>
    <message>
        <source>%1: &quot;port&quot; must be a number from 1 to 65535, not %2</source>
        <translation>%1：“port”必须是 1 到 65535 之间的数字，而不是 %2</translation>
    </message>
    <message>
        <source>%1: &quot;roles&quot; must be a list of strings</source>
        <translation>%1：“roles”必须是字符串列表</translation>
    </message>
    <message>
        <source>%1: the top level must be an object with &quot;name&quot; and &quot;nodes&quot;</source>
        <translation>%1：顶层必须是包含“name”和“nodes”的对象</translation>
    </message>
    <message>
        <source>%1: missing &quot;nodes&quot;</source>
        <translation>%1：缺少“nodes”</translation>
    </message>
    <message>
        <source>%1: &quot;nodes&quot; must be a list</source>
        <translation>%1：“nodes”必须是列表</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3：JSON 无效：%4</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid TOML: %4</source>
        <translation>%1:%2:%3：TOML 无效：%4</translation>
    </message>
    <message>
        <source>%1: cannot read TOML values: %2</source>
        <translation>%1：无法读取 TOML 值：%2</translation>
    </message>
    <message>
        <source>a node has no name</source>
        <translation>有节点没有名称</translation>
    </message>
    <message>
        <source>node &quot;%1&quot; appears more than once; node names must be unique</source>
        <translation>节点“%1”出现了多次；节点名称必须唯一</translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: port 0 is not valid</source>
        <translation>节点“%1”：端口 0 无效</translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: no address</source>
        <translation>节点“%1”：没有地址</translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: the agent socket path is empty</source>
        <translation>节点“%1”：代理套接字路径为空</translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: a local node cannot have a jump host</source>
        <translation>节点“%1”：本地节点不能有跳板机</translation>
    </message>
    <message>
        <source>node &quot;%1&quot; names itself as its jump host</source>
        <translation>节点“%1”将自己设为了跳板机</translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: jump host &quot;%2&quot; is not a node of this cluster</source>
        <translation>节点“%1”：跳板机“%2”不是此集群的节点</translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: jump host &quot;%2&quot; is not reached over SSH</source>
        <translation>节点“%1”：跳板机“%2”不是通过 SSH 连接的</translation>
    </message>
    <message>
        <source>node &quot;%1&quot;: jump host &quot;%2&quot; has a jump host itself; chained jumps are not supported</source>
        <translation>节点“%1”：跳板机“%2”本身也有跳板机；不支持多级跳转</translation>
    </message>
    <message>
        <source>no cluster named &quot;%1&quot;: neither a file nor an inventory in %2</source>
        <translation>没有名为“%1”的集群：既不是文件，也不是 %2 中的清单</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is larger than 16 MiB; not an inventory</source>
        <translation>%1 大于 16 MiB；不是集群清单</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>%1:%2:%3: the character U+%4 is not accepted in an inventory file</source>
        <translation>%1:%2:%3：清单文件中不接受字符 U+%4</translation>
    </message>
    <message>
        <source>%1: invalid JSON: %2</source>
        <translation>%1：JSON 无效：%2</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <source>Load balancing</source>
        <translation>负载均衡层</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>应用层</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据层</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>未分类</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>响应缓慢</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>director</source>
        <translation>调度器</translation>
    </message>
    <message>
        <source>real server</source>
        <translation>真实服务器</translation>
    </message>
    <message>
        <source>database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>MooseFS master</source>
        <translation>MooseFS 主控</translation>
    </message>
    <message>
        <source>MooseFS chunkserver</source>
        <translation>MooseFS 数据节点</translation>
    </message>
    <message>
        <source>MooseFS metalogger</source>
        <translation>MooseFS 元数据日志</translation>
    </message>
    <message>
        <source>gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>no access</source>
        <translation>无权限</translation>
    </message>
    <message>
        <source>read</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>operate</source>
        <translation>运维</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>解除</translation>
    </message>
    <message>
        <source>VRRP</source>
        <translation>VRRP</translation>
    </message>
    <message>
        <source>link</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>protocol error</source>
        <translation>协议错误</translation>
    </message>
    <message>
        <source>agent not installed</source>
        <translation>未安装代理</translation>
    </message>
    <message>
        <source>protocol version mismatch</source>
        <translation>协议版本不匹配</translation>
    </message>
</context>
<context>
    <name>NodeState</name>
    <message>
        <source>Connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>响应缓慢</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Protocol error</source>
        <translation>协议错误</translation>
    </message>
    <message>
        <source>Agent not installed</source>
        <translation>未安装代理</translation>
    </message>
    <message>
        <source>Protocol version mismatch</source>
        <translation>协议版本不匹配</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1 is not connected</source>
        <translation>%1 未连接</translation>
    </message>
</context>
<context>
    <name>RemoteHost</name>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>%1 refused to run a command: %2</source>
        <translation>%1 拒绝运行命令：%2</translation>
    </message>
    <message>
        <source>the connection to %1 broke: %2</source>
        <translation>与 %1 的连接中断：%2</translation>
    </message>
    <message>
        <source>%1: the command did not finish within %2 s</source>
        <translation>%1：命令未在 %2 秒内完成</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 offers no SFTP (is the sftp subsystem enabled in sshd_config?): %2</source>
        <translation>%1 未提供 SFTP（sshd_config 中是否启用了 sftp 子系统？）：%2</translation>
    </message>
    <message>
        <source>cannot create %1 on %2: %3</source>
        <translation>无法在 %2 上创建 %1：%3</translation>
    </message>
    <message>
        <source>writing %1 on %2 failed: %3</source>
        <translation>在 %2 上写入 %1 失败：%3</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>closing %1 on %2 failed: %3</source>
        <translation>在 %2 上关闭 %1 失败：%3</translation>
    </message>
    <message>
        <source>%1 via %2</source>
        <translation>%1（经由 %2）</translation>
    </message>
    <message>
        <source>%1: no connection after %2 s (%3)</source>
        <translation>%1：%2 秒后仍未连接（%3）</translation>
    </message>
    <message>
        <source>at the jump host</source>
        <translation>在跳板机处</translation>
    </message>
    <message>
        <source>cannot connect to %1</source>
        <translation>无法连接到 %1</translation>
    </message>
</context>
<context>
    <name>SshTransport</name>
    <message>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>resolving the address</source>
        <translation>正在解析地址</translation>
    </message>
    <message>
        <source>SSH handshake</source>
        <translation>SSH 握手</translation>
    </message>
    <message>
        <source>verifying the host key</source>
        <translation>正在校验主机密钥</translation>
    </message>
    <message>
        <source>authenticating</source>
        <translation>正在认证</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cannot create an SSH session (out of memory?)</source>
        <translation>无法创建 SSH 会话（内存不足？）</translation>
    </message>
    <message>
        <source>SSH handshake with %1</source>
        <translation>与 %1 进行 SSH 握手</translation>
    </message>
    <message>
        <source>resolving %1</source>
        <translation>正在解析 %1</translation>
    </message>
    <message>
        <source>cannot resolve %1: %2</source>
        <translation>无法解析 %1：%2</translation>
    </message>
    <message>
        <source>cannot connect to %1: %2</source>
        <translation>无法连接到 %1：%2</translation>
    </message>
    <message>
        <source>verifying the host key of %1</source>
        <translation>正在校验 %1 的主机密钥</translation>
    </message>
    <message>
        <source>%1 sent no host key: %2</source>
        <translation>%1 没有发送主机密钥：%2</translation>
    </message>
    <message>
        <source>HOST KEY MISMATCH for %1 (%2): %3 records %4, but the server presented %5 %6. Someone may be intercepting the connection, or the host was reinstalled. Not connecting. If the change is expected, remove the old entry from %3 and connect again.</source>
        <translation>%1（%2）的主机密钥不匹配：%3 记录的是 %4，但服务器出示的是 %5 %6。可能有人在截取连接，或者该主机已重装。不予连接。如果这一变化在预期之内，请从 %3 中删除旧条目后再连接。</translation>
    </message>
    <message>
        <source>a different key</source>
        <translation>另一个密钥</translation>
    </message>
    <message>
        <source>cannot check the host key of %1 against %2: %3</source>
        <translation>无法按 %2 校验 %1 的主机密钥：%3</translation>
    </message>
    <message>
        <source>the host key of %1 (%2 %3) is not in %4, and nobody can be asked to accept it</source>
        <translation>%1 的主机密钥（%2 %3）不在 %4 中，且无人可以确认接受</translation>
    </message>
    <message>
        <source>the host key of %1 (%2 %3) was not accepted</source>
        <translation>%1 的主机密钥（%2 %3）未被接受</translation>
    </message>
    <message>
        <source>cannot record the host key of %1 in %2: %3</source>
        <translation>无法把 %1 的主机密钥记入 %2：%3</translation>
    </message>
    <message>
        <source>authenticating as %1</source>
        <translation>正在以 %1 身份认证</translation>
    </message>
    <message>
        <source>ssh-agent</source>
        <translation>ssh-agent</translation>
    </message>
    <message>
        <source>SSH authentication as %1 failed: tried %2; no key file is configured for this node</source>
        <translation>以 %1 身份进行 SSH 认证失败：已尝试 %2；此节点未配置密钥文件</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the key file %1 for %2 does not exist</source>
        <translation>%2 的密钥文件 %1 不存在</translation>
    </message>
    <message>
        <source>cannot read the private key %1 for %2</source>
        <translation>无法读取 %2 的私钥 %1</translation>
    </message>
    <message>
        <source>wrong passphrase for the key %1</source>
        <translation>密钥 %1 的口令错误</translation>
    </message>
    <message>
        <source>the key %1 is encrypted and no passphrase can be asked for</source>
        <translation>密钥 %1 已加密，但无法询问口令</translation>
    </message>
    <message>
        <source>no passphrase given for the key %1</source>
        <translation>未提供密钥 %1 的口令</translation>
    </message>
    <message>
        <source>key file %1</source>
        <translation>密钥文件 %1</translation>
    </message>
    <message>
        <source>SSH authentication with %1 broke off: %2</source>
        <translation>使用 %1 的 SSH 认证中断：%2</translation>
    </message>
    <message>
        <source>SSH authentication as %1 failed: the server accepted none of %2. Check that the public key is in ~%3/.ssh/authorized_keys on %4.</source>
        <translation>以 %1 身份进行 SSH 认证失败：服务器不接受 %2 中的任何一个。请检查公钥是否在 %4 上的 ~%3/.ssh/authorized_keys 中。</translation>
    </message>
    <message>
        <source>%1: no connection after %2 s (%3)</source>
        <translation>%1：%2 秒后仍未连接（%3）</translation>
    </message>
    <message>
        <source>opening a tunnel through %1</source>
        <translation>正在通过 %1 建立隧道</translation>
    </message>
    <message>
        <source>opening the agent socket %1</source>
        <translation>正在打开代理套接字 %1</translation>
    </message>
    <message>
        <source>%1: cannot create a channel</source>
        <translation>%1：无法创建通道</translation>
    </message>
    <message>
        <source>%1: connection lost: %2</source>
        <translation>%1：连接中断：%2</translation>
    </message>
    <message>
        <source>streamlocal forwarding refused; starting %1 --bridge</source>
        <translation>streamlocal 转发被拒绝；改为启动 %1 --bridge</translation>
    </message>
    <message>
        <source>%1: sshd refused both the agent socket and a session channel: %2</source>
        <translation>%1：sshd 既拒绝了代理套接字，也拒绝了会话通道：%2</translation>
    </message>
    <message>
        <source>%1: sshd refused to run %2: %3</source>
        <translation>%1：sshd 拒绝运行 %2：%3</translation>
    </message>
    <message>
        <source>%1 sent a message larger than %2 bytes</source>
        <translation>%1 发来的消息超过 %2 字节</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; may not use the agent on %2 (permission none): %3. Add the user to the group &quot;hadeck&quot; (read), &quot;hadeck-operator&quot; or &quot;hadeck-admin&quot; on that node.</source>
        <translation>用户“%1”无权使用 %2 上的代理（权限：无）：%3。请在该节点上把此用户加入“hadeck”（只读）、“hadeck-operator”或“hadeck-admin”组。</translation>
    </message>
    <message>
        <source>%1: the agent bridge ended (exit status %2)%3</source>
        <translation>%1：代理桥接已结束（退出状态 %2）%3</translation>
    </message>
    <message>
        <source>%1: the agent closed the connection</source>
        <translation>%1：代理关闭了连接</translation>
    </message>
    <message>
        <source>%1: write failed: %2</source>
        <translation>%1：写入失败：%2</translation>
    </message>
    <message>
        <source>jump host %1 could not open a connection to %2:%3: %4</source>
        <translation>跳板机 %1 无法打开到 %2:%3 的连接：%4</translation>
    </message>
    <message>
        <source>cannot create the jump relay: %1</source>
        <translation>无法创建跳板中继：%1</translation>
    </message>
    <message>
        <source>the tunnel through %1 closed: %2</source>
        <translation>经由 %1 的隧道已关闭：%2</translation>
    </message>
    <message>
        <source>the jump relay broke</source>
        <translation>跳板中继已中断</translation>
    </message>
    <message>
        <source>the tunnel through %1 broke: %2</source>
        <translation>经由 %1 的隧道已中断：%2</translation>
    </message>
    <message>
        <source>%1 does not read what the console sends (%2 bytes queued): link dropped</source>
        <translation>%1 不读取控制台发送的内容（已排队 %2 字节）：连接已断开</translation>
    </message>
    <message>
        <source>the HaDeck agent is not installed on %1: no socket %2 and no %3. Install it with &quot;Install agent&quot; or hadeckctl deploy %1.</source>
        <translation>%1 上未安装 HaDeck 代理：没有套接字 %2，也没有 %3。请用“安装代理”或 hadeckctl deploy %1 安装。</translation>
    </message>
</context>
<context>
    <name>TableExport</name>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Export table as CSV</source>
        <translation>将表格导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export chart as PNG</source>
        <translation>将图表导出为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
</context>
<context>
    <name>hadeck::console::AgentClient</name>
    <message>
        <source>the connection to %1 was closed</source>
        <translation>与 %1 的连接已关闭</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>the connection to %1 was restarted</source>
        <translation>与 %1 的连接已重启</translation>
    </message>
    <message>
        <source>%1 is not connected (%2)</source>
        <translation>%1 未连接（%2）</translation>
    </message>
    <message>
        <source>%1 did not answer %2 within %3 s</source>
        <translation>%1 未在 %3 秒内响应 %2</translation>
    </message>
    <message>
        <source>%1 is not connected</source>
        <translation>%1 未连接</translation>
    </message>
    <message>
        <source>%1 refused access: %2</source>
        <translation>%1 拒绝访问：%2</translation>
    </message>
    <message>
        <source>%1: hello failed: %2</source>
        <translation>%1：握手失败：%2</translation>
    </message>
    <message>
        <source>%1 answered hello with something this console cannot read: %2</source>
        <translation>%1 的握手应答无法被此控制台解析：%2</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; has no access to the agent on %2 (permission none): add the user to the group &quot;hadeck&quot; (read), &quot;hadeck-operator&quot; or &quot;hadeck-admin&quot; on that node</source>
        <translation>用户“%1”无权访问 %2 上的代理（无权限）：请在该节点上将用户加入用户组“hadeck”（只读）、“hadeck-operator”或“hadeck-admin”</translation>
    </message>
    <message>
        <source>%1 sent a message that is not JSON-RPC: %2</source>
        <translation>%1 发送了非 JSON-RPC 消息：%2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 answered in %2 ms (threshold %3 ms)</source>
        <translation>%1 在 %2 毫秒内应答（阈值 %3 毫秒）</translation>
    </message>
    <message>
        <source>%1 disconnected</source>
        <translation>%1 已断开</translation>
    </message>
    <message>
        <source>%1 (%2): no access to the agent (permission none): %3</source>
        <translation>%1（%2）：无权访问代理（权限为 none）：%3</translation>
    </message>
    <message>
        <source>protocol version mismatch: agent %1 (hadeck-agent %2), console %3. Upgrade the agent with &quot;Upgrade agent&quot; or hadeckctl deploy %4.</source>
        <translation>协议版本不匹配：代理 %1（hadeck-agent %2），控制台 %3。请用“升级代理”或 hadeckctl deploy %4 升级代理。</translation>
    </message>
    <message>
        <source>waiting for %1 to reconnect…</source>
        <translation>正在等待 %1 重新连接…</translation>
    </message>
    <message>
        <source>%1 is not connected (%2): %3</source>
        <translation>%1 未连接（%2）：%3</translation>
    </message>
    <message>
        <source>%1 did not reconnect within %2 s (the link had dropped: %3)</source>
        <translation>%1 未在 %2 秒内重新连接（连接已断开：%3）</translation>
    </message>
</context>
<context>
    <name>hadeck::console::DeployJob</name>
    <message>
        <source>exit status %1</source>
        <translation>退出状态 %1</translation>
    </message>
    <message>
        <source>exit status %1: %2</source>
        <translation>退出状态 %1：%2</translation>
    </message>
    <message>
        <source>the node&apos;s user id is not a number: &quot;%1&quot;</source>
        <translation>节点的用户 ID 不是数字：“%1”</translation>
    </message>
    <message>
        <source>the node did not answer the check (no shell?)</source>
        <translation>节点未响应检查（没有 shell？）</translation>
    </message>
    <message>
        <source>dpkg is missing: the agent&apos;s package needs Debian or a derivative</source>
        <translation>缺少 dpkg：代理的软件包需要 Debian 或其衍生发行版</translation>
    </message>
    <message>
        <source>cannot make a temporary directory in /tmp for the upload</source>
        <translation>无法在 /tmp 中为上传创建临时目录</translation>
    </message>
    <message>
        <source>the file is not a Debian package (no Package, Version or Architecture field)</source>
        <translation>该文件不是 Debian 软件包（缺少 Package、Version 或 Architecture 字段）</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>Checking the node</source>
        <translation>正在检查节点</translation>
    </message>
    <message>
        <source>Uploading the package</source>
        <translation>正在上传软件包</translation>
    </message>
    <message>
        <source>Installing</source>
        <translation>正在安装</translation>
    </message>
    <message>
        <source>Adding the user to the group</source>
        <translation>正在将用户加入组</translation>
    </message>
    <message>
        <source>Starting the agent</source>
        <translation>正在启动代理</translation>
    </message>
    <message>
        <source>Waiting for the agent&apos;s hello</source>
        <translation>正在等待代理的 hello</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>%1 of %2 nodes deployed</source>
        <translation>已部署 %1/%2 个节点</translation>
    </message>
    <message>
        <source>this deployment has already started</source>
        <translation>此次部署已经开始</translation>
    </message>
    <message>
        <source>no cluster is open</source>
        <translation>没有打开的集群</translation>
    </message>
    <message>
        <source>no node to deploy to</source>
        <translation>没有要部署的节点</translation>
    </message>
    <message>
        <source>the group must be one of %1 (got &quot;%2&quot;)</source>
        <translation>组必须是 %1 之一（收到的是“%2”）</translation>
    </message>
    <message>
        <source>no node &quot;%1&quot; in the cluster %2</source>
        <translation>集群 %2 中没有节点“%1”</translation>
    </message>
    <message>
        <source>%1 is reached through a local socket, not SSH: install the package on it directly</source>
        <translation>%1 通过本地套接字而非 SSH 访问：请直接在其上安装软件包</translation>
    </message>
    <message>
        <source>cannot read the package %1: %2</source>
        <translation>无法读取软件包 %1：%2</translation>
    </message>
    <message>
        <source>cannot read the package %1</source>
        <translation>无法读取软件包 %1</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>checking the node failed: %1</source>
        <translation>检查节点失败：%1</translation>
    </message>
    <message>
        <source>%1 is not root on %2 and sudo is not installed there</source>
        <translation>%1 在 %2 上不是 root，且该节点未安装 sudo</translation>
    </message>
    <message>
        <source>no sudo password given for %1 on %2</source>
        <translation>未提供 %1 在 %2 上的 sudo 密码</translation>
    </message>
    <message>
        <source>%1 may not use sudo on %2</source>
        <translation>%1 不能在 %2 上使用 sudo</translation>
    </message>
    <message>
        <source>sudo refused the password of %1 on %2</source>
        <translation>sudo 拒绝了 %1 在 %2 上的密码</translation>
    </message>
    <message>
        <source>Uploading the package (%1 of %2 KiB)</source>
        <translation>正在上传软件包（%1/%2 KiB）</translation>
    </message>
    <message>
        <source>uploading the package failed: %1</source>
        <translation>上传软件包失败：%1</translation>
    </message>
    <message>
        <source>the uploaded package differs from %1 (SHA-256 on the node: %2)</source>
        <translation>上传的软件包与 %1 不一致（节点上的 SHA-256：%2）</translation>
    </message>
    <message>
        <source>cannot check the uploaded package: %1</source>
        <translation>无法校验上传的软件包：%1</translation>
    </message>
    <message>
        <source>the file is not a Debian package: %1</source>
        <translation>该文件不是 Debian 软件包：%1</translation>
    </message>
    <message>
        <source>the package is %1, not hadeck-agent</source>
        <translation>该软件包是 %1，不是 hadeck-agent</translation>
    </message>
    <message>
        <source>the package is built for %1, the node is %2</source>
        <translation>该软件包为 %1 构建，而节点是 %2</translation>
    </message>
    <message>
        <source>Installing hadeck-agent %1</source>
        <translation>正在安装 hadeck-agent %1</translation>
    </message>
    <message>
        <source>Installing hadeck-agent %1 (was %2)</source>
        <translation>正在安装 hadeck-agent %1（原为 %2）</translation>
    </message>
    <message>
        <source>installing failed: %1</source>
        <translation>安装失败：%1</translation>
    </message>
    <message>
        <source>after the installation dpkg reports &quot;%1&quot;, not hadeck-agent %2 installed</source>
        <translation>安装后 dpkg 报告“%1”，而不是已安装 hadeck-agent %2</translation>
    </message>
    <message>
        <source>root needs no group: it may do everything</source>
        <translation>root 无需加入组：它拥有全部权限</translation>
    </message>
    <message>
        <source>adding %1 to %2 failed: %3</source>
        <translation>将 %1 加入 %2 失败：%3</translation>
    </message>
    <message>
        <source>installed, but not started: policy-rc.d forbids starting services on %1</source>
        <translation>已安装但未启动：policy-rc.d 禁止在 %1 上启动服务</translation>
    </message>
    <message>
        <source>starting the agent failed: %1</source>
        <translation>启动代理失败：%1</translation>
    </message>
    <message>
        <source>Waiting for the sudo password of %1</source>
        <translation>正在等待 %1 的 sudo 密码</translation>
    </message>
    <message>
        <source>the node is not in the connection pool</source>
        <translation>该节点不在连接池中</translation>
    </message>
    <message>
        <source>the agent did not answer hello within %1 s (%2: %3)</source>
        <translation>代理未在 %1 秒内响应 hello（%2：%3）</translation>
    </message>
    <message>
        <source>hadeck-agent %1 installed and online</source>
        <translation>hadeck-agent %1 已安装并在线</translation>
    </message>
    <message>
        <source>hadeck-agent %1 was already installed; online</source>
        <translation>hadeck-agent %1 此前已安装；在线</translation>
    </message>
    <message>
        <source>hadeck-agent upgraded from %1 to %2; online</source>
        <translation>hadeck-agent 已从 %1 升级到 %2；在线</translation>
    </message>
</context>
<context>
    <name>hadeck::console::DrainJob</name>
    <message>
        <source>Checking</source>
        <translation>检查中</translation>
    </message>
    <message>
        <source>Applying</source>
        <translation>应用中</translation>
    </message>
    <message>
        <source>Partially applied</source>
        <translation>部分已应用</translation>
    </message>
    <message>
        <source>Draining</source>
        <translation>排空中</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>No director is known in this cluster: connect to the directors first.</source>
        <translation>此集群中没有已知的调度器：请先连接调度器。</translation>
    </message>
    <message>
        <source>Preflight refused the drain:
%1</source>
        <translation>预检拒绝了排空操作：
%1</translation>
    </message>
    <message>
        <source>Drain of %1 marked complete by the admin with %2 connection(s) left.</source>
        <translation>管理员将 %1 的排空标记为完成，剩余 %2 个连接。</translation>
    </message>
    <message>
        <source>Drain cancelled; %1 is back in rotation.</source>
        <translation>排空已取消；%1 已恢复参与负载。</translation>
    </message>
    <message>
        <source>Drain cancelled, but restoring failed on: %1</source>
        <translation>排空已取消，但以下节点恢复失败：%1</translation>
    </message>
    <message>
        <source>%1 drained on %2 director(s) in %3 s.</source>
        <translation>%1 已在 %2 台调度器上排空，用时 %3 秒。</translation>
    </message>
    <message>
        <source>Weight 0 is applied on some directors only. Failed: %1. Retry, or cancel to restore.</source>
        <translation>权重 0 仅在部分调度器上生效。失败：%1。请重试，或取消以恢复。</translation>
    </message>
    <message numerus="yes">
        <source>%n persistence template(s) left, gone in %1 s (persistence_timeout %2 s)</source>
        <translation>
            <numerusform>剩余 %n 个持久化模板，%1 秒后全部过期（persistence_timeout %2 秒）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n persistence template(s) left, gone %1 s after the last connection (persistence_timeout)</source>
        <translation>
            <numerusform>剩余 %n 个持久化模板，最后一个连接结束 %1 秒后全部过期（persistence_timeout）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 drained on %2 director(s)</source>
        <translation>%1 已在 %2 个调度器上排空</translation>
    </message>
    <message>
        <source>%1; connections still open: not measured yet.</source>
        <translation>%1；仍打开的连接：尚未测量。</translation>
    </message>
    <message>
        <source>%1; the real server counts %2 connection(s) still open (directors: %3).</source>
        <translation>%1；真实服务器统计仍有 %2 个连接打开（调度器：%3）。</translation>
    </message>
    <message>
        <source>the real server is not in the inventory</source>
        <translation>真实服务器不在清单中</translation>
    </message>
    <message>
        <source>no virtual service address to count</source>
        <translation>没有可统计的虚拟服务地址</translation>
    </message>
    <message>
        <source>%1; the real server&apos;s own count was not measured (%2); directors: %3 connection(s).</source>
        <translation>%1；未测量真实服务器自身的计数（%2）；调度器：%3 个连接。</translation>
    </message>
</context>
<context>
    <name>hadeck::console::FailoverJob</name>
    <message>
        <source>Checking</source>
        <translation>检查中</translation>
    </message>
    <message>
        <source>Releasing MASTER</source>
        <translation>释放 MASTER</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>验证中</translation>
    </message>
    <message>
        <source>Giving back</source>
        <translation>交还中</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>No director reports MASTER for %1; nothing to fail over.</source>
        <translation>没有调度器报告 %1 的 MASTER；无需切换。</translation>
    </message>
    <message>
        <source>%1 is already MASTER of %2.</source>
        <translation>%1 已是 %2 的 MASTER。</translation>
    </message>
    <message>
        <source>%1 is already MASTER; nothing to do.</source>
        <translation>%1 已是 MASTER；无需操作。</translation>
    </message>
    <message>
        <source>No other director has the instance %1.</source>
        <translation>没有其他调度器拥有实例 %1。</translation>
    </message>
    <message>
        <source>Lost the directors during the preflight.</source>
        <translation>预检期间与调度器失去连接。</translation>
    </message>
    <message>
        <source>Preflight refused the failover:
%1</source>
        <translation>预检拒绝了主备切换：
%1</translation>
    </message>
    <message>
        <source>%1 stays in FAULT (maintenance) until you restore it.</source>
        <translation>%1 将保持 FAULT（维护）状态，直到您将其恢复。</translation>
    </message>
    <message>
        <source>%1 has the higher priority (%2 &gt; %3) and preempts: clearing its FAULT now would take the VIP straight back. It stays in FAULT until you restore it; set nopreempt (with state BACKUP on both directors) to let it rejoin as BACKUP.</source>
        <translation>%1 的优先级更高（%2 &gt; %3）且会抢占：现在解除其 FAULT 会立即夺回 VIP。它将保持 FAULT 直到您恢复它；设置 nopreempt（并在两台调度器上都使用 state BACKUP）可让其以 BACKUP 身份重新加入。</translation>
    </message>
    <message>
        <source>%1 rejoins as BACKUP: %2.</source>
        <translation>%1 以 BACKUP 身份重新加入：%2。</translation>
    </message>
    <message>
        <source>nopreempt is set</source>
        <translation>已设置 nopreempt</translation>
    </message>
    <message>
        <source>its priority is not higher</source>
        <translation>其优先级不更高</translation>
    </message>
    <message>
        <source>%1 refused to release MASTER: %2</source>
        <translation>%1 拒绝释放 MASTER：%2</translation>
    </message>
    <message>
        <source>%1: track file set, instance going to FAULT</source>
        <translation>%1：已写入 track file，实例正进入 FAULT</translation>
    </message>
    <message>
        <source>%1 did not become MASTER within %2 s</source>
        <translation>%1 未在 %2 秒内成为 MASTER</translation>
    </message>
    <message>
        <source>The VIP did not move to %1. %2 is left in FAULT so the cluster does not flap; check VRRP traffic between the directors, then restore %2.</source>
        <translation>VIP 未迁移到 %1。%2 保持 FAULT 以免集群来回切换；请检查调度器之间的 VRRP 流量，然后恢复 %2。</translation>
    </message>
    <message>
        <source>%1 is MASTER and holds the VIPs, verified after %2 ms</source>
        <translation>%1 已是 MASTER 并持有 VIP，经 %2 毫秒验证</translation>
    </message>
    <message>
        <source>%1 became MASTER %2 ms after the release (keepalived&apos;s transition time)</source>
        <translation>%1 在释放后 %2 毫秒成为 MASTER（keepalived 的切换时间）</translation>
    </message>
    <message>
        <source>%1 is now MASTER of %2. %3</source>
        <translation>%1 现在是 %2 的 MASTER。%3</translation>
    </message>
    <message>
        <source>Could not clear the FAULT on %1: %2</source>
        <translation>无法解除 %1 的 FAULT：%2</translation>
    </message>
    <message>
        <source>%1 is now MASTER, but %2 is still in FAULT: restore it by hand.</source>
        <translation>%1 现在是 MASTER，但 %2 仍处于 FAULT：请手动恢复。</translation>
    </message>
    <message>
        <source>The preflight passes: %1 can hand %2 over to %3.</source>
        <translation>预检通过：%1 可以把 %2 移交给 %3。</translation>
    </message>
    <message>
        <source>The preflight fails; only --force would go ahead.</source>
        <translation>预检未通过；只有 --force 才会继续。</translation>
    </message>
    <message>
        <source>%1 is MASTER and holds the VIPs, verified after %2 ms (pushed by the agents)</source>
        <translation>%1 是 MASTER 并持有 VIP，已在 %2 毫秒后验证（由代理推送）</translation>
    </message>
    <message>
        <source>%1 holds the VIPs and %2 no longer does, verified after %3 ms (its agent still reports %4)</source>
        <translation>%1 持有 VIP 而 %2 已不再持有，%3 毫秒后验证（其代理仍报告 %4）</translation>
    </message>
    <message>
        <source>%1: track files set, going to FAULT: %2</source>
        <translation>%1：已写入 track file，进入 FAULT：%2</translation>
    </message>
    <message>
        <source>%1: track file set, %2 going to FAULT, and with it %3 (the same track file)</source>
        <translation>%1：已写入 track file，%2 进入 FAULT，%3 也随之进入（共用同一 track file）</translation>
    </message>
</context>
<context>
    <name>hadeck::console::LiveActions</name>
    <message>
        <source>%1 is not a real server</source>
        <translation>%1 不是真实服务器</translation>
    </message>
    <message>
        <source>No director is connected</source>
        <translation>没有已连接的调度器</translation>
    </message>
    <message>
        <source>%1 is not a director</source>
        <translation>%1 不是调度器</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: weight %2 (%3)</source>
        <translation>%1：权重 %2（%3）</translation>
    </message>
    <message>
        <source>%1 is back in rotation.</source>
        <translation>%1 已重新加入轮询。</translation>
    </message>
    <message>
        <source>Restore failed on some directors.</source>
        <translation>部分调度器上恢复失败。</translation>
    </message>
    <message>
        <source>%1: %2 weight %3</source>
        <translation>%1：%2 权重 %3</translation>
    </message>
    <message>
        <source>%1 runs no VRRP instance with VRID %2</source>
        <translation>%1 上没有 VRID 为 %2 的 VRRP 实例</translation>
    </message>
    <message>
        <source>A weight must be between 0 and %1</source>
        <translation>权重必须介于 0 和 %1 之间</translation>
    </message>
    <message>
        <source>%1 is not an address:port</source>
        <translation>%1 不是“地址:端口”形式</translation>
    </message>
</context>
<context>
    <name>hadeck::console::LocalTransport</name>
    <message>
        <source>connecting to %1</source>
        <translation>正在连接 %1</translation>
    </message>
    <message>
        <source>local socket %1</source>
        <translation>本地套接字 %1</translation>
    </message>
    <message>
        <source>the agent at %1 sent a message larger than %2 bytes</source>
        <translation>%1 处的代理发送了大于 %2 字节的消息</translation>
    </message>
    <message>
        <source>no agent is listening at %1 (is hadeck-agent running?)</source>
        <translation>%1 处没有代理在监听（hadeck-agent 是否在运行？）</translation>
    </message>
    <message>
        <source>permission denied on the agent socket %1: the user must be in the group &quot;hadeck&quot;</source>
        <translation>代理套接字 %1 权限被拒绝：用户必须属于用户组“hadeck”</translation>
    </message>
    <message>
        <source>cannot reach the agent at %1: %2</source>
        <translation>无法连接 %1 处的代理：%2</translation>
    </message>
    <message>
        <source>the agent at %1 closed the connection</source>
        <translation>%1 处的代理关闭了连接</translation>
    </message>
    <message>
        <source>the agent at %1 does not read what the console sends (%2 bytes queued): link dropped</source>
        <translation>%1 处的代理不读取控制台发送的内容（已排队 %2 字节）：连接已断开</translation>
    </message>
</context>
<context>
    <name>hadeck::console::Preflight</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>%1 exists on %2 but not on %3</source>
        <translation>%1 存在于 %2，但 %3 上没有</translation>
    </message>
    <message>
        <source>%1: live real servers %2 on %3, %4 on %5</source>
        <translation>%1：%3 上的活动真实服务器为 %2，%5 上为 %4</translation>
    </message>
    <message>
        <source>%1 is MASTER of %2</source>
        <translation>%1 是 %2 的 MASTER</translation>
    </message>
    <message>
        <source>%1 reports %2 for %3; only the MASTER can hand over.</source>
        <translation>%1 报告 %3 的状态为 %2；只有 MASTER 才能交出。</translation>
    </message>
    <message>
        <source>%1 has no VRRP instance named %2.</source>
        <translation>%1 没有名为 %2 的 VRRP 实例。</translation>
    </message>
    <message>
        <source>%1 declares the track file %2</source>
        <translation>%1 声明了 track file %2</translation>
    </message>
    <message>
        <source>%1 is reachable</source>
        <translation>%1 可以连接</translation>
    </message>
    <message>
        <source>The console has no live connection to %1; its state is unknown.</source>
        <translation>控制台与 %1 没有在线连接；其状态未知。</translation>
    </message>
    <message>
        <source>%1 is BACKUP of %2</source>
        <translation>%1 是 %2 的 BACKUP</translation>
    </message>
    <message>
        <source>%1 reports %2; it can take over only from BACKUP.</source>
        <translation>%1 报告状态为 %2；只有 BACKUP 才能接管。</translation>
    </message>
    <message>
        <source>%1 receives adverts</source>
        <translation>%1 正在接收通告</translation>
    </message>
    <message>
        <source>Only one sample of %1 so far; cannot tell whether adverts arrive.</source>
        <translation>目前只有 %1 的一次采样；无法判断通告是否到达。</translation>
    </message>
    <message>
        <source>The advert counter of %1 did not move: VRRP packets (IP protocol 112) from %2 do not reach it. A failover now risks a split brain.</source>
        <translation>%1 的通告计数没有变化：来自 %2 的 VRRP 报文（IP 协议 112）没有到达。此时切换有脑裂风险。</translation>
    </message>
    <message>
        <source>Both directors carry the same VIPs</source>
        <translation>两台调度器配置了相同的 VIP</translation>
    </message>
    <message>
        <source>%1 has %2; %3 has %4.</source>
        <translation>%1 有 %2；%3 有 %4。</translation>
    </message>
    <message>
        <source>Both IPVS tables have the same live real servers</source>
        <translation>两张 IPVS 表中的活动真实服务器一致</translation>
    </message>
    <message>
        <source>No drain is half-applied</source>
        <translation>没有只应用了一半的排空</translation>
    </message>
    <message>
        <source>%1 holds drains [%2]; %3 holds [%4]. Retry or restore the drain first.</source>
        <translation>%1 保持的排空为 [%2]；%3 为 [%4]。请先重试或恢复该排空。</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%2 上的 %1</translation>
    </message>
    <message>
        <source>%1 on %2 (persistence %3 s)</source>
        <translation>%2 上的 %1（会话保持 %3 秒）</translation>
    </message>
    <message>
        <source>Every director is reachable</source>
        <translation>所有调度器均可连接</translation>
    </message>
    <message>
        <source>%1 cannot be reached; a drain applied only on the others is lost after a failover.</source>
        <translation>无法连接 %1；只在其他调度器上生效的排空在切换后会丢失。</translation>
    </message>
    <message>
        <source>%1 is a real server in IPVS</source>
        <translation>%1 是 IPVS 中的真实服务器</translation>
    </message>
    <message>
        <source>No virtual service on any director has %1 as a real server.</source>
        <translation>任何调度器上都没有以 %1 为真实服务器的虚拟服务。</translation>
    </message>
    <message>
        <source>Other real servers keep serving</source>
        <translation>其他真实服务器继续提供服务</translation>
    </message>
    <message>
        <source>%1 is the last real server with a non-zero weight in: %2. Draining it takes the service down; use --force only if that is what you want.</source>
        <translation>%1 是以下服务中最后一个权重非零的真实服务器：%2。排空它会使服务中断；只有确实需要时才使用 --force。</translation>
    </message>
    <message>
        <source>No persistence template keeps routing clients</source>
        <translation>没有会话保持模板继续转发客户端</translation>
    </message>
    <message>
        <source>Persistent services with net.ipv4.vs.expire_quiescent_template=0: %1. Returning clients keep reaching %2 until their templates expire; set the sysctl to 1 to end them.</source>
        <translation>以下会话保持服务的 net.ipv4.vs.expire_quiescent_template=0：%1。回访的客户端在模板过期前仍会访问 %2；将该 sysctl 设为 1 可立即结束。</translation>
    </message>
    <message>
        <source>Without it, %1 cannot be driven to FAULT.</source>
        <translation>没有它，就无法把 %1 驱动到 FAULT。</translation>
    </message>
    <message>
        <source>Without it, %1, once MASTER, can be neither handed back nor taken out for maintenance.</source>
        <translation>没有它，%1 一旦成为 MASTER，就既不能交还，也不能下线维护。</translation>
    </message>
    <message>
        <source>Add these lines to its keepalived configuration and reload, or let HaDeck add them (admin: checked with keepalived -t, then reloaded):</source>
        <translation>请把以下几行加入它的 keepalived 配置并重新加载，或让 HaDeck 来添加（需要管理员：先用 keepalived -t 检查，再重新加载）：</translation>
    </message>
    <message>
        <source>Directors expire connections to removed real servers</source>
        <translation>导向器会使指向已移除真实服务器的连接过期</translation>
    </message>
    <message>
        <source>net.ipv4.vs.expire_nodest_conn=0 on %1: once %2 leaves the table, a client that reuses its port follows a leftover connection entry to it and times out. Set net.ipv4.vs.expire_nodest_conn=1 on the directors.</source>
        <translation>%1 上 net.ipv4.vs.expire_nodest_conn=0：%2 离开转发表后，重用端口的客户端会沿残留的连接条目继续发往它并超时。请在导向器上设置 net.ipv4.vs.expire_nodest_conn=1。</translation>
    </message>
    <message>
        <source>Not checked: %1 did not answer, so their IPVS tables are unknown. Try again with a longer --timeout once the directors answer.</source>
        <translation>未检查：%1 没有应答，其 IPVS 表未知。请在调度器能够应答后用更长的 --timeout 重试。</translation>
    </message>
    <message>
        <source>No virtual service on %1 has %2 as a real server; %3 did not answer, so its table is unknown.</source>
        <translation>%1 上没有以 %2 为真实服务器的虚拟服务；%3 没有应答，其表未知。</translation>
    </message>
    <message>
        <source>Not checked: no director answered.</source>
        <translation>未检查：没有调度器应答。</translation>
    </message>
    <message>
        <source>Only %1 goes to FAULT on %2</source>
        <translation>%2 上只有 %1 进入 FAULT</translation>
    </message>
    <message>
        <source>%1 shares its track file on %2 with %3: they go to FAULT with it, and their VIPs move too. Give %1 a track file of its own to move it alone.</source>
        <translation>%1 在 %2 上与 %3 共用跟踪文件：它们会随之进入 FAULT，其 VIP 也会迁移。若只想迁移 %1，请为它配置单独的跟踪文件。</translation>
    </message>
</context>
<context>
    <name>hadeck::console::SshTransport</name>
    <message>
        <source>%1 via %2</source>
        <translation>%1（经由 %2）</translation>
    </message>
</context>
<context>
    <name>hadeck::console::TrackFileJob</name>
    <message>
        <source>The new configuration passed keepalived -t and is installed, but keepalived could not be signalled to reload (is it running?). Reload it by hand.</source>
        <translation>新配置已通过 keepalived -t 并已安装，但无法通知 keepalived 重新加载（它在运行吗？）。请手动重新加载。</translation>
    </message>
    <message>
        <source>%1 is not connected.</source>
        <translation>%1 未连接。</translation>
    </message>
    <message>
        <source>Changing keepalived&apos;s configuration needs admin on %1; %2 has %3 there.</source>
        <translation>修改 keepalived 配置需要 %1 上的管理员权限；%2 在那里的权限是 %3。</translation>
    </message>
    <message>
        <source>%1 refused: %2</source>
        <translation>%1 拒绝：%2</translation>
    </message>
    <message>
        <source>Nothing changed on %1: %2</source>
        <translation>%1 上没有任何改动：%2</translation>
    </message>
    <message>
        <source>Add these lines by hand where %1 is defined, then reload keepalived:</source>
        <translation>请在定义 %1 的地方手动加入以下几行，然后重新加载 keepalived：</translation>
    </message>
    <message>
        <source>%1: %2 now declares the hadeck track file for %3; keepalived -t found nothing new (its warnings were there before the edit):
%4</source>
        <translation>%1：%2 现已为 %3 声明 hadeck 跟踪文件；keepalived -t 没有发现新问题（它的警告在修改前就已存在）：
%4</translation>
    </message>
    <message>
        <source>%1: %2 now declares the hadeck track file for %3; keepalived -t accepted it.</source>
        <translation>%1：%2 现已为 %3 声明 hadeck 跟踪文件；keepalived -t 已接受。</translation>
    </message>
    <message>
        <source>The previous file is kept as %1.</source>
        <translation>原文件保留为 %1。</translation>
    </message>
    <message>
        <source>keepalived reloaded.</source>
        <translation>keepalived 已重新加载。</translation>
    </message>
    <message>
        <source>The agent does not list %1 as failover-capable yet; check keepalived&apos;s log on %2.</source>
        <translation>代理尚未把 %1 列为可故障切换；请查看 %2 上 keepalived 的日志。</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::AuditModel</name>
    <message>
        <source>intent</source>
        <translation>意图</translation>
    </message>
    <message>
        <source>outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Node</source>
        <extracomment>Column header: the cluster machine (host) a row is about.</extracomment>
        <translation>节点</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::AuditView</name>
    <message>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <source>Any user</source>
        <translation>任意用户</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>操作：</translation>
    </message>
    <message>
        <source>Part of the action, e.g. drain or firewall</source>
        <translation>操作名称的一部分，例如 drain 或 firewall</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新读取</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Chain verification (agent.auditVerify)</source>
        <translation>哈希链校验（agent.auditVerify）</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>哈希链</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>intact</source>
        <translation>完好</translation>
    </message>
    <message>
        <source>BROKEN</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <source>not verified</source>
        <translation>未校验</translation>
    </message>
    <message>
        <source>asking…</source>
        <translation>正在询问…</translation>
    </message>
    <message>
        <source>not online</source>
        <translation>不在线</translation>
    </message>
    <message numerus="yes">
        <source>%n entries checked in %1</source>
        <translation>
            <numerusform>已校验 %1 中的 %n 条记录</numerusform>
        </translation>
    </message>
    <message>
        <source>first broken line %1 of %2: %3</source>
        <translation>%2 的第一处损坏在第 %1 行：%3</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ChunkDiskModel</name>
    <message>
        <source>%1 of %2 (%3 %)</source>
        <translation>%1 / %2（%3 %）</translation>
    </message>
    <message>
        <source>Chunkserver</source>
        <translation>块服务器</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>块</translation>
    </message>
    <message>
        <source>Space used</source>
        <translation>已用空间</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ChunkserverModel</name>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>on (%1)</source>
        <translation>开（%1）</translation>
    </message>
    <message>
        <source>%1 of %2 (%3 %)</source>
        <translation>%1 / %2（%3 %）</translation>
    </message>
    <message>
        <source>Chunkserver</source>
        <translation>块服务器</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>维护</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>块</translation>
    </message>
    <message>
        <source>Space used</source>
        <translation>已用空间</translation>
    </message>
    <message>
        <source>Disk errors</source>
        <translation>磁盘错误</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ClusterManagerDialog</name>
    <message>
        <source>Clusters</source>
        <translation>集群</translation>
    </message>
    <message>
        <source>Clusters in %1</source>
        <translation>%1 中的集群</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>~/.ssh/known_hosts</source>
        <translation>~/.ssh/known_hosts</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Known hosts file:</source>
        <translation>known_hosts 文件：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>密钥文件</translation>
    </message>
    <message>
        <source>Jump host</source>
        <translation>跳板机</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Add node</source>
        <translation>添加节点</translation>
    </message>
    <message>
        <source>Remove node</source>
        <translation>删除节点</translation>
    </message>
    <message>
        <source>Add the real servers found in IPVS</source>
        <translation>添加 IPVS 中发现的真实服务器</translation>
    </message>
    <message>
        <source>Adds every address the open cluster&apos;s directors route to that has no node yet</source>
        <translation>添加已打开集群的调度器正在转发、但尚未作为节点的所有地址</translation>
    </message>
    <message>
        <source>Open the cluster first: the real servers are read from its directors</source>
        <translation>请先打开该集群：真实服务器从其调度器读取</translation>
    </message>
    <message>
        <source>Save and connect</source>
        <translation>保存并连接</translation>
    </message>
    <message>
        <source>Open cluster inventory</source>
        <translation>打开集群清单</translation>
    </message>
    <message>
        <source>Cluster inventories (*.json *.toml);;All files (*)</source>
        <translation>集群清单 (*.json *.toml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>node%1</source>
        <translation>节点%1</translation>
    </message>
    <message numerus="yes">
        <source>%n real server(s) added from IPVS. Give them names and keys, then save.</source>
        <translation>
            <numerusform>已从 IPVS 添加 %n 台真实服务器。请填写名称和密钥，然后保存。</numerusform>
        </translation>
    </message>
    <message>
        <source>new-cluster</source>
        <translation>new-cluster</translation>
    </message>
    <message>
        <source>A new cluster. Add its nodes, then save.</source>
        <translation>新集群。请添加节点，然后保存。</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ClusterTreeModel</name>
    <message>
        <source>%1 (%2/%3)</source>
        <translation>%1（%2/%3）</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>agent %1, user %2, %3 access</source>
        <translation>代理 %1，用户 %2，%3权限</translation>
    </message>
    <message>
        <source>Node</source>
        <extracomment>Column header: the cluster machine (host) a row is about.</extracomment>
        <translation>节点</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>权限</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::DatabaseView</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Start replica…</source>
        <translation>启动复制…</translation>
    </message>
    <message>
        <source>Stop replica…</source>
        <translation>停止复制…</translation>
    </message>
    <message>
        <source>Export table (CSV)…</source>
        <translation>导出表格（CSV）…</translation>
    </message>
    <message>
        <source>Export chart (PNG)…</source>
        <translation>导出图表（PNG）…</translation>
    </message>
    <message>
        <source>Replica lag (seconds), last 10 minutes; a gap: no lag known (a thread stopped)</source>
        <translation>副本延迟（秒），最近 10 分钟；空缺表示延迟未知（有线程已停止）</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>not online</source>
        <translation>不在线</translation>
    </message>
    <message>
        <source>Turn read_only off…</source>
        <translation>关闭 read_only…</translation>
    </message>
    <message>
        <source>Turn read_only on…</source>
        <translation>开启 read_only…</translation>
    </message>
    <message>
        <source>Start the replica threads</source>
        <translation>启动复制线程</translation>
    </message>
    <message>
        <source>Stop the replica threads</source>
        <translation>停止复制线程</translation>
    </message>
    <message>
        <source>Turn read_only on</source>
        <translation>开启 read_only</translation>
    </message>
    <message>
        <source>Turn read_only off</source>
        <translation>关闭 read_only</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::DeployDialog</name>
    <message>
        <source>Install or upgrade the HaDeck agent</source>
        <translation>安装或升级 HaDeck 代理</translation>
    </message>
    <message>
        <source>The package is copied to each node over SFTP and installed with apt; the SSH user is added to the group chosen below; then the agent is started and the console waits for its hello. Nodes are deployed in parallel. Deploying the same package again changes nothing; a newer one upgrades.</source>
        <translation>软件包通过 SFTP 复制到每个节点并用 apt 安装；SSH 用户被加入下面选择的组；然后启动代理，控制台等待它的 hello。各节点并行部署。再次部署同一软件包不会改变任何东西；更新的软件包则会升级。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Nodes:</source>
        <translation>节点：</translation>
    </message>
    <message>
        <source>hadeck-agent_VERSION_ARCH.deb</source>
        <translation>hadeck-agent_版本_架构.deb</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Package:</source>
        <translation>软件包：</translation>
    </message>
    <message>
        <source>hadeck: read</source>
        <translation>hadeck：只读</translation>
    </message>
    <message>
        <source>hadeck-operator: read, drain and fail over</source>
        <translation>hadeck-operator：只读、排空和故障切换</translation>
    </message>
    <message>
        <source>hadeck-admin: everything, firewalls and configuration too</source>
        <translation>hadeck-admin：全部权限，包括防火墙和配置</translation>
    </message>
    <message>
        <source>Group for the SSH user:</source>
        <translation>SSH 用户的组：</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>部署</translation>
    </message>
    <message>
        <source>The hadeck-agent package</source>
        <translation>hadeck-agent 软件包</translation>
    </message>
    <message>
        <source>Debian packages (*.deb);;All files (*)</source>
        <translation>Debian 软件包 (*.deb);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Deploying to %1…</source>
        <translation>正在部署到 %1…</translation>
    </message>
    <message>
        <source>Deploy again</source>
        <translation>再次部署</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>sudo password</source>
        <translation>sudo 密码</translation>
    </message>
    <message>
        <source>The password of %1 for sudo on %2:</source>
        <translation>%1 在 %2 上的 sudo 密码：</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::DrainPanel</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Draining %1</source>
        <translation>正在排空 %1</translation>
    </message>
    <message>
        <source>Directors</source>
        <translation>调度器</translation>
    </message>
    <message>
        <source>Director</source>
        <translation>调度器</translation>
    </message>
    <message>
        <source>Weight 0</source>
        <translation>权重 0</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>非活动</translation>
    </message>
    <message>
        <source>Persistent</source>
        <translation>持久</translation>
    </message>
    <message>
        <source>Real server and estimate</source>
        <translation>真实服务器与预计</translation>
    </message>
    <message>
        <source>Established connections on %1:</source>
        <translation>%1 上已建立的连接：</translation>
    </message>
    <message>
        <source>Busy Apache workers:</source>
        <translation>忙碌的 Apache 工作进程：</translation>
    </message>
    <message>
        <source>Estimated time left:</source>
        <translation>预计剩余时间：</translation>
    </message>
    <message>
        <source>Elapsed:</source>
        <translation>已用时间：</translation>
    </message>
    <message>
        <source>Weight 0 on every director after:</source>
        <translation>所有调度器权重归零用时：</translation>
    </message>
    <message>
        <source>Preflight checks</source>
        <translation>预检</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Cancel drain</source>
        <translation>取消排空</translation>
    </message>
    <message>
        <source>Give %1 its weight back on every director and stop</source>
        <translation>在所有调度器上恢复 %1 的权重并停止</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Apply weight 0 again on the directors that failed</source>
        <translation>在失败的调度器上重新设置权重 0</translation>
    </message>
    <message>
        <source>Keep waiting</source>
        <translation>继续等待</translation>
    </message>
    <message>
        <source>Force finish</source>
        <translation>强制完成</translation>
    </message>
    <message>
        <source>Call the drain done although connections remain</source>
        <translation>尽管仍有连接，仍视为排空完成</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source> (forced)</source>
        <translation>（强制）</translation>
    </message>
    <message>
        <source>%1 connections left of %2</source>
        <translation>剩余 %1 个连接（共 %2 个）</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>已应用</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>not in the inventory</source>
        <translation>不在清单中</translation>
    </message>
    <message>
        <source>unknown: %1</source>
        <translation>未知：%1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 lists more connections than the real server has open. It keeps an entry until the IPVS timeout when it did not see the connection close (after a failover the clients&apos; FINs went through the other director). The real server&apos;s own count decides.</source>
        <translation>%1 列出的连接比真实服务器上实际打开的多。未看到连接关闭时（故障切换后客户端的 FIN 经由另一台调度器），它会保留该条目直到 IPVS 超时。以真实服务器自己的计数为准。</translation>
    </message>
    <message>
        <source>Drain %1</source>
        <comment>window title; %1 is a real server</comment>
        <extracomment>Window title. %1 is the real server being taken out of rotation (&quot;Drain web1&quot;).</extracomment>
        <translation>排空 %1</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::FailoverDialog</name>
    <message>
        <source>Fail over %1</source>
        <translation>主备切换 %1</translation>
    </message>
    <message>
        <source>Forced failover from %1</source>
        <translation>从 %1 强制主备切换</translation>
    </message>
    <message>
        <source>Preflight checks</source>
        <translation>预检</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>+%1 ms</source>
        <translation>+%1 毫秒</translation>
    </message>
    <message>
        <source>New master: &lt;b&gt;%1&lt;/b&gt; (was %2)</source>
        <translation>新的主节点：&lt;b&gt;%1&lt;/b&gt;（原为 %2）</translation>
    </message>
    <message>
        <source>Verified by the console after %1 ms</source>
        <translation>控制台在 %1 毫秒后验证</translation>
    </message>
    <message>
        <source>Transition on the directors&apos; clocks: %1 ms</source>
        <translation>按调度器时钟计的切换时间：%1 毫秒</translation>
    </message>
    <message>
        <source>Track file missing</source>
        <translation>缺少跟踪文件</translation>
    </message>
    <message>
        <source>Add track file and reload</source>
        <translation>添加跟踪文件并重新加载</translation>
    </message>
    <message>
        <source>Fail over now</source>
        <translation>立即故障切换</translation>
    </message>
    <message>
        <source>The cluster was closed.</source>
        <translation>集群已关闭。</translation>
    </message>
    <message>
        <source># on %1</source>
        <translation># 在 %1 上</translation>
    </message>
    <message>
        <source>The keepalived configuration of %1 lacks the hadeck track file, so the failover was refused. Add these lines and reload keepalived, or let HaDeck add them: it checks the new configuration with keepalived -t before installing it, keeps the old file beside it, then reloads keepalived.</source>
        <translation>%1 的 keepalived 配置缺少 hadeck 跟踪文件，因此故障切换被拒绝。请加入以下几行并重新加载 keepalived，或让 HaDeck 来添加：它会在安装前用 keepalived -t 检查新配置，把旧文件保留在旁边，然后重新加载 keepalived。</translation>
    </message>
    <message>
        <source>Running the preflight again...</source>
        <translation>正在重新运行预检……</translation>
    </message>
    <message>
        <source>%1: adding the track file, checking with keepalived -t...</source>
        <translation>%1：正在添加跟踪文件，用 keepalived -t 检查……</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::FirewallView</name>
    <message>
        <source>Node:</source>
        <translation>节点：</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Add rule…</source>
        <translation>添加规则…</translation>
    </message>
    <message>
        <source>Delete rule…</source>
        <translation>删除规则…</translation>
    </message>
    <message>
        <source>Roll back to last confirmed…</source>
        <translation>回滚到上次确认的规则集…</translation>
    </message>
    <message>
        <source>Table / chain / rule</source>
        <translation>表 / 链 / 规则</translation>
    </message>
    <message>
        <source>In words</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>nft text</source>
        <translation>nft 文本</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>包数</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Cannot read the firewall of %1: %2</source>
        <translation>无法读取 %1 的防火墙：%2</translation>
    </message>
    <message>
        <source>written by iptables-nft: edit it with iptables, not here</source>
        <translation>由 iptables-nft 写入：请用 iptables 编辑，不要在此编辑</translation>
    </message>
    <message numerus="yes">
        <source>%n element(s) of type %1</source>
        <translation>
            <numerusform>%n 个元素，类型 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>iptables-legacy (read-only)</source>
        <translation>iptables-legacy（只读）</translation>
    </message>
    <message>
        <source>ruleset %1</source>
        <translation>规则集 %1</translation>
    </message>
    <message>
        <source>Change %1 on %2 is confirmed.</source>
        <translation>%2 上的变更 %1 已确认。</translation>
    </message>
    <message>
        <source>The agent on %1 rolled back change %2: %3</source>
        <translation>%1 上的代理回滚了变更 %2：%3</translation>
    </message>
    <message>
        <source>(the new connection to confirm it failed: %1 — the change most likely cut the console off)</source>
        <translation>（用于确认的新连接失败：%1 —— 该变更很可能切断了控制台）</translation>
    </message>
    <message>
        <source>ROLLED BACK: the agent on %1 restored the ruleset from before change %2: %3</source>
        <translation>已回滚：%1 上的代理已恢复变更 %2 之前的规则集：%3</translation>
    </message>
    <message>
        <source>The agent on %1 could not roll back change %2 yet (%3): %4; it retries</source>
        <translation>%1 上的代理尚未能回滚变更 %2（%3）：%4；正在重试</translation>
    </message>
    <message>
        <source>%1 is not connected</source>
        <translation>%1 未连接</translation>
    </message>
    <message>
        <source>Changing the firewall needs membership of the group %1; you have %2 access</source>
        <translation>修改防火墙需要属于组 %1；你的权限是 %2</translation>
    </message>
    <message>
        <source>A change is waiting for its confirmation</source>
        <translation>有一个变更正在等待确认</translation>
    </message>
    <message>
        <source>Checking the change on %1…</source>
        <translation>正在检查 %1 上的变更…</translation>
    </message>
    <message>
        <source>Not checked: %1</source>
        <translation>未检查：%1</translation>
    </message>
    <message>
        <source>nft refused the change (nothing changed):
%1</source>
        <translation>nft 拒绝了该变更（未做任何更改）：
%1</translation>
    </message>
    <message>
        <source>Not applied on %1: %2</source>
        <translation>未在 %1 上应用：%2</translation>
    </message>
    <message>
        <source>it got through only after the deadline</source>
        <translation>它在截止时间之后才连上</translation>
    </message>
    <message>
        <source>Confirmed change %1 on %2 over a new connection; saved to %3%4</source>
        <translation>已通过新连接确认 %2 上的变更 %1；已保存到 %3%4</translation>
    </message>
    <message>
        <source> (previous file kept as %1)</source>
        <translation>（原文件保留为 %1）</translation>
    </message>
    <message numerus="yes">
        <source>Change %1 on %2 is live: confirming it over a new connection. The agent rolls it back in %n s unless confirmed.</source>
        <translation>
            <numerusform>%2 上的变更 %1 已生效：正在通过新连接确认。若未确认，代理将在 %n 秒后回滚。</numerusform>
        </translation>
    </message>
    <message>
        <source>Change %1 on %2 was not confirmed in time: waiting for the agent&apos;s rollback…</source>
        <translation>%2 上的变更 %1 未能按时确认：正在等待代理回滚…</translation>
    </message>
    <message>
        <source>The new connection cannot get in: %1</source>
        <translation>新连接无法登录：%1</translation>
    </message>
    <message>
        <source>Roll back the firewall</source>
        <translation>回滚防火墙</translation>
    </message>
    <message>
        <source>Restore the last confirmed ruleset of %1 (its persisted file)?</source>
        <translation>恢复 %1 上次确认的规则集（其持久化文件）？</translation>
    </message>
    <message>
        <source>Not rolled back: %1</source>
        <translation>未回滚：%1</translation>
    </message>
    <message>
        <source>%1: restored %2</source>
        <translation>%1：已恢复 %2</translation>
    </message>
    <message>
        <source>Copy to same role…</source>
        <translation>复制到同角色节点…</translation>
    </message>
    <message>
        <source>Chain policy…</source>
        <translation>链策略…</translation>
    </message>
    <message>
        <source>Set elements…</source>
        <translation>集合元素…</translation>
    </message>
    <message>
        <source>Reading the new ruleset of %1…</source>
        <translation>正在读取 %1 的新规则集…</translation>
    </message>
    <message>
        <source>Keep it (confirm)…</source>
        <translation>保留（确认）…</translation>
    </message>
    <message>
        <source>Roll it back now…</source>
        <translation>立即回滚…</translation>
    </message>
    <message>
        <source>Change %1 on %2 was confirmed from another connection.</source>
        <translation>%2 上的变更 %1 已由另一个连接确认。</translation>
    </message>
    <message>
        <source>Keep change %1 by %2 on %3? It is confirmed over a new connection, which proves the new rules still let the console in.</source>
        <translation>保留 %3 上由 %2 做出的变更 %1？它将通过一个新连接确认，以证明新规则仍允许控制台连入。</translation>
    </message>
    <message>
        <source>Keep a pending firewall change</source>
        <translation>保留待确认的防火墙变更</translation>
    </message>
    <message>
        <source>Roll back a pending firewall change</source>
        <translation>回滚待确认的防火墙变更</translation>
    </message>
    <message>
        <source>Roll back change %1 by %2 on %3 now, restoring the ruleset from before it?</source>
        <translation>现在回滚 %3 上由 %2 做出的变更 %1，恢复变更之前的规则集？</translation>
    </message>
    <message>
        <source>Change %1 not rolled back: %2</source>
        <translation>变更 %1 未回滚：%2</translation>
    </message>
    <message>
        <source>%1: change %2 rolled back; restored %3</source>
        <translation>%1：变更 %2 已回滚；已恢复 %3</translation>
    </message>
    <message>
        <source>No answer from %1 to the change (%2): it may be live. If it is, it shows here as pending once the link is back, and the agent rolls it back unless it is confirmed.</source>
        <translation>%1 未应答此变更（%2）：它可能已生效。若已生效，连接恢复后会在此显示为待确认，未确认时代理将回滚它。</translation>
    </message>
    <message>
        <source>an unnamed user</source>
        <translation>未具名用户</translation>
    </message>
    <message numerus="yes">
        <source>Change %1 by %2 is live on %3 and waits for its confirmation: the agent rolls it back in %n s (by the node&apos;s clock) unless it is kept.</source>
        <translation>
            <numerusform>%3 上由 %2 做出的变更 %1 已生效，正在等待确认：若不保留，代理将在 %n 秒后（按节点时钟）回滚。</numerusform>
        </translation>
    </message>
    <message>
        <source>Change %1 by %2 on %3 was not confirmed in time: waiting for the agent&apos;s rollback…</source>
        <translation>%3 上由 %2 做出的变更 %1 未及时确认：正在等待代理回滚…</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more line(s)</source>
        <translation>
            <numerusform>… 另有 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>No answer from %1 to the rollback of change %2 (%3): it may be rolled back.</source>
        <translation>%1 未应答变更 %2 的回滚（%3）：它可能已被回滚。</translation>
    </message>
    <message>
        <source>Change %1 on %2 is rolled back, as asked.</source>
        <translation>%2 上的变更 %1 已按要求回滚。</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::HostKeyDialog</name>
    <message>
        <source>Unknown host key — %1</source>
        <translation>未知主机密钥 — %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2 port %3) presented a host key that is not in your known hosts. Compare the fingerprint with the one shown on the node itself (&lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub&lt;/tt&gt;) before you trust it.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;（%2 端口 %3）提供的主机密钥不在您的 known_hosts 中。信任之前，请与节点本机显示的指纹（&lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub&lt;/tt&gt;）进行核对。</translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation>密钥类型：</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>指纹：</translation>
    </message>
    <message>
        <source>Saved to:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <source>Do not connect</source>
        <translation>不连接</translation>
    </message>
    <message>
        <source>Connect once</source>
        <translation>仅本次连接</translation>
    </message>
    <message>
        <source>Trust and save</source>
        <translation>信任并保存</translation>
    </message>
    <message>
        <source>HOST KEY CHANGED — %1</source>
        <translation>主机密钥已变更 — %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;The host key of %1 (%2 port %3) has changed. HaDeck will not connect to it.&lt;/b&gt;&lt;br&gt;&lt;br&gt;Someone may be intercepting the connection, or the node was reinstalled. Ask whoever manages the node whether its key was replaced, and compare the new fingerprint with the one shown on the node&apos;s own console (&lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub&lt;/tt&gt;).</source>
        <translation>&lt;b&gt;%1（%2 端口 %3）的主机密钥已改变。HaDeck 不会连接它。&lt;/b&gt;&lt;br&gt;&lt;br&gt;可能有人在拦截连接，也可能该节点被重装了。请向该节点的管理者确认其密钥是否被替换，并把新指纹与节点本机控制台上显示的指纹比对（&lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub&lt;/tt&gt;）。</translation>
    </message>
    <message>
        <source>(none readable)</source>
        <translation>（无法读取）</translation>
    </message>
    <message>
        <source>(not reported)</source>
        <translation>（未报告）</translation>
    </message>
    <message>
        <source>Recorded key:</source>
        <translation>已记录的密钥：</translation>
    </message>
    <message>
        <source>Presented key:</source>
        <translation>提供的密钥：</translation>
    </message>
    <message>
        <source>Known hosts file:</source>
        <translation>known_hosts 文件：</translation>
    </message>
    <message>
        <source>Only if the new key is confirmed, remove the old one deliberately and reconnect:&lt;br&gt;&lt;tt&gt;ssh-keygen -R &apos;%1&apos; -f &apos;%2&apos;&lt;/tt&gt;&lt;br&gt;HaDeck then asks about the new key as for any unknown host.</source>
        <translation>只有在确认新密钥无误后，才可有意删除旧密钥并重新连接：&lt;br&gt;&lt;tt&gt;ssh-keygen -R &apos;%1&apos; -f &apos;%2&apos;&lt;/tt&gt;&lt;br&gt;之后 HaDeck 会像对待任何未知主机一样询问新密钥。</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::HostsView</name>
    <message>
        <source>Metric:</source>
        <translation>指标：</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>范围：</translation>
    </message>
    <message>
        <source>Nodes compared</source>
        <translation>对比的节点</translation>
    </message>
    <message>
        <source>Export chart (PNG)…</source>
        <translation>导出图表（PNG）…</translation>
    </message>
    <message>
        <source>CPU busy (%)</source>
        <translation>CPU 繁忙（%）</translation>
    </message>
    <message>
        <source>Memory used (%)</source>
        <translation>内存使用（%）</translation>
    </message>
    <message>
        <source>Load (1 min)</source>
        <translation>负载（1 分钟）</translation>
    </message>
    <message>
        <source>Network (bytes/s, in + out)</source>
        <translation>网络（字节/秒，入 + 出）</translation>
    </message>
    <message>
        <source>Disk IO busy (%, busiest disk)</source>
        <translation>磁盘 IO 繁忙（%，最忙的磁盘）</translation>
    </message>
    <message>
        <source>Live (10 min)</source>
        <translation>实时（10 分钟）</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 小时</translation>
    </message>
    <message>
        <source>Apache busy workers (real servers)</source>
        <translation>Apache 繁忙工作进程（真实服务器）</translation>
    </message>
    <message>
        <source>Apache requests/s (real servers)</source>
        <translation>Apache 每秒请求数（真实服务器）</translation>
    </message>
    <message>
        <source>Queries/s (database nodes)</source>
        <translation>每秒查询数（数据库节点）</translation>
    </message>
    <message>
        <source>%1 (no data)</source>
        <translation>%1（无数据）</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::LogModel</name>
    <message>
        <source>No time of its own: shown after the line before it</source>
        <translation>本行没有自己的时间：显示在它前一行之后</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Node</source>
        <extracomment>Column header: the cluster machine (host) a row is about.</extracomment>
        <translation>节点</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::LogsView</name>
    <message>
        <source>Filter:</source>
        <translation>过滤：</translation>
    </message>
    <message>
        <source>Text in the line</source>
        <translation>行中的文字</translation>
    </message>
    <message>
        <source>Since:</source>
        <translation>起始：</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 小时</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>跟踪</translation>
    </message>
    <message>
        <source>New lines as the nodes write them</source>
        <translation>节点写入新行时即显示</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新读取</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Back to where the lines were before the jump to a timeline event</source>
        <translation>回到跳转到时间线事件之前的位置</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>%1 is not online</source>
        <translation>%1 不在线</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1，%2：%3</translation>
    </message>
    <message>
        <source>%1, %2: older lines left out (at most %3 a source)</source>
        <translation>%1，%2：较早的行未显示（每个来源最多 %3 行）</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::MainWindow</name>
    <message>
        <source>%1 — HaDeck</source>
        <translation>%1 — HaDeck</translation>
    </message>
    <message>
        <source>HaDeck</source>
        <translation>HaDeck</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>&amp;Open cluster…</source>
        <translation>打开集群(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a cluster inventory file and connect to its nodes</source>
        <translation>打开集群清单文件并连接其中的节点</translation>
    </message>
    <message>
        <source>&amp;Manage clusters…</source>
        <translation>管理集群(&amp;M)…</translation>
    </message>
    <message>
        <source>Create and edit cluster inventories</source>
        <translation>创建和编辑集群清单</translation>
    </message>
    <message>
        <source>&amp;Close cluster</source>
        <translation>关闭集群(&amp;C)</translation>
    </message>
    <message>
        <source>Save &amp;screenshot…</source>
        <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit topology</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Topology</source>
        <translation>拓扑(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Services (IPVS)</source>
        <translation>服务 (IPVS)(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;VRRP</source>
        <translation>&amp;VRRP</translation>
    </message>
    <message>
        <source>&amp;Fail over</source>
        <extracomment>Menu action, a verb: move the VRRP MASTER role (and the VIPs) to the other director.</extracomment>
        <translation>主备切换(&amp;F)</translation>
    </message>
    <message>
        <source>Make &amp;master</source>
        <translation>设为主节点(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;About HaDeck</source>
        <translation>关于 HaDeck(&amp;A)</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation>集群(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>外观(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Topology</source>
        <translation>拓扑</translation>
    </message>
    <message>
        <source>Services (IPVS)</source>
        <translation>服务 (IPVS)</translation>
    </message>
    <message>
        <source>VRRP</source>
        <translation>VRRP</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>集群</translation>
    </message>
    <message>
        <source>Alarms and timeline</source>
        <translation>告警与时间线</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Filter services and real servers…</source>
        <translation>筛选服务和真实服务器…</translation>
    </message>
    <message>
        <source>Drift between directors is highlighted. Double-click a weight to change it.</source>
        <translation>调度器之间的差异已高亮显示。双击权重可修改。</translation>
    </message>
    <message>
        <source>One row per instance; expand it to compare the directors.</source>
        <translation>每个实例一行；展开可比较各调度器。</translation>
    </message>
    <message>
        <source>Open clusters</source>
        <translation>已打开的集群</translation>
    </message>
    <message>
        <source>No translation for %1</source>
        <translation>没有 %1 的翻译</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <source>Not done: %1</source>
        <translation>未完成：%1</translation>
    </message>
    <message>
        <source>Select a node first</source>
        <translation>请先选择一个节点</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 is not a real server</source>
        <translation>%1 不是真实服务器</translation>
    </message>
    <message>
        <source>%1 is not a director</source>
        <translation>%1 不是调度器</translation>
    </message>
    <message>
        <source>No cluster open</source>
        <translation>未打开集群</translation>
    </message>
    <message>
        <source>Open a cluster inventory with Ctrl+O, or create one with Ctrl+M.</source>
        <translation>按 Ctrl+O 打开集群清单，或按 Ctrl+M 创建一个。</translation>
    </message>
    <message>
        <source>%1 MASTER on %2</source>
        <translation>%1 的 MASTER 在 %2</translation>
    </message>
    <message>
        <source>%1 of %2 nodes online</source>
        <translation>%2 个节点中 %1 个在线</translation>
    </message>
    <message numerus="yes">
        <source>%n critical alarm(s)</source>
        <translation>
            <numerusform>%n 条严重告警</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n 条警告</numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <source>All clear</source>
        <translation>一切正常</translation>
    </message>
    <message>
        <source>Alarms: %1</source>
        <translation>告警：%1</translation>
    </message>
    <message>
        <source>Active alarms</source>
        <translation>当前告警</translation>
    </message>
    <message>
        <source>Active alarms (%1)</source>
        <translation>当前告警（%1）</translation>
    </message>
    <message>
        <source>No active alarms. The cross-node checks pass.</source>
        <translation>没有告警。跨节点检查全部通过。</translation>
    </message>
    <message>
        <source>Open cluster inventory</source>
        <translation>打开集群清单</translation>
    </message>
    <message>
        <source>Cluster inventories (*.json *.toml);;All files (*)</source>
        <translation>集群清单 (*.json *.toml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open the cluster</source>
        <translation>无法打开集群</translation>
    </message>
    <message>
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>About HaDeck</source>
        <translation>关于 HaDeck</translation>
    </message>
    <message>
        <source>&lt;h3&gt;HaDeck %1&lt;/h3&gt;&lt;p&gt;The control room for LVS/keepalived high-availability web clusters: directors, real servers, databases and storage, live.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;HaDeck %1&lt;/h3&gt;&lt;p&gt;LVS/keepalived 高可用 Web 集群的控制台：实时查看调度器、真实服务器、数据库和存储。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>%1 on %2: %3</source>
        <translation>%2 上的%1：%3</translation>
    </message>
    <message>
        <source>Firewall</source>
        <translation>防火墙</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>审计</translation>
    </message>
    <message>
        <source>&amp;Install agent…</source>
        <translation>安装代理(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Upgrade agent…</source>
        <translation>升级代理(&amp;U)…</translation>
    </message>
    <message>
        <source>Install or upgrade hadeck-agent on %1 over SSH</source>
        <translation>通过 SSH 在 %1 上安装或升级 hadeck-agent</translation>
    </message>
    <message>
        <source>This session has no connections to deploy through</source>
        <translation>此会话没有可用于部署的连接</translation>
    </message>
    <message>
        <source>&amp;Drain</source>
        <comment>verb: take a real server out of rotation</comment>
        <extracomment>Menu action, a verb: take the selected real server out of rotation (weight 0 on every director) and wait for its open connections to end. Not &quot;empty&quot; or &quot;discharge&quot;.</extracomment>
        <translation>排空(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <comment>verb: put a drained real server back in rotation</comment>
        <extracomment>Menu action, a verb: put a drained real server back in rotation at its configured weight. Not a backup restore.</extracomment>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Node</source>
        <comment>menu: the selected cluster machine</comment>
        <extracomment>Menu title: actions on the selected cluster machine (a director, web, database or storage host).</extracomment>
        <translation>节点(&amp;N)</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ReplicationModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>master</source>
        <translation>主库</translation>
    </message>
    <message>
        <source>replica</source>
        <translation>副本</translation>
    </message>
    <message>
        <source>standalone</source>
        <translation>独立</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>%1 (not in the inventory)</source>
        <translation>%1（不在清单中）</translation>
    </message>
    <message>
        <source>no answer: %1</source>
        <translation>无应答：%1</translation>
    </message>
    <message>
        <source>IO %1: %2</source>
        <translation>IO %1：%2</translation>
    </message>
    <message>
        <source>SQL %1: %2</source>
        <translation>SQL %1：%2</translation>
    </message>
    <message>
        <source>executed %1, received %2</source>
        <translation>已执行 %1，已接收 %2</translation>
    </message>
    <message>
        <source>Node</source>
        <extracomment>Column header: the cluster machine (host) a row is about.</extracomment>
        <translation>节点</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>read_only</source>
        <translation>read_only</translation>
    </message>
    <message>
        <source>IO thread</source>
        <translation>IO 线程</translation>
    </message>
    <message>
        <source>SQL thread</source>
        <translation>SQL 线程</translation>
    </message>
    <message>
        <source>Lag</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Master</source>
        <translation>主库</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>GTID</source>
        <translation>GTID</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::ServicesModel</name>
    <message>
        <source>Virtual service / real server</source>
        <translation>虚拟服务 / 真实服务器</translation>
    </message>
    <message>
        <source>Scheduler</source>
        <translation>调度算法</translation>
    </message>
    <message>
        <source>%1 weight</source>
        <translation>%1 权重</translation>
    </message>
    <message>
        <source>%1 active</source>
        <translation>%1 活动连接</translation>
    </message>
    <message>
        <source>%1 inactive</source>
        <translation>%1 非活动</translation>
    </message>
    <message>
        <source>%1 conn/s</source>
        <translation>%1 连接/秒</translation>
    </message>
    <message>
        <source>%1 in</source>
        <translation>%1 入流量</translation>
    </message>
    <message>
        <source>A weight is a whole number from 0 to 65535</source>
        <translation>权重必须是 0 到 65535 之间的整数</translation>
    </message>
    <message>
        <source>absent</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>%1/%2 up</source>
        <translation>%1/%2 在用</translation>
    </message>
    <message>
        <source>Fails the LVS-DR check: %1</source>
        <translation>未通过 LVS-DR 检查：%1</translation>
    </message>
    <message>
        <source>Directors disagree on this real server</source>
        <translation>各调度器对该真实服务器的配置不一致</translation>
    </message>
    <message>
        <source>%1 has no such real server in this service</source>
        <translation>%1 的此服务中没有该真实服务器</translation>
    </message>
    <message>
        <source>Weight 0: no new connections (drained or taken out by a health check)</source>
        <translation>权重 0：不接受新连接（已排空或被健康检查摘除）</translation>
    </message>
    <message>
        <source>Double-click to change the weight on %1</source>
        <translation>双击修改 %1 上的权重</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::StorageView</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export chunkservers (CSV)…</source>
        <translation>导出块服务器（CSV）…</translation>
    </message>
    <message>
        <source>Disks of the selected chunkserver (all disks when none is selected)</source>
        <translation>所选块服务器的磁盘（未选择时显示全部磁盘）</translation>
    </message>
    <message>
        <source>%1 no longer reads the MooseFS master: %2</source>
        <translation>%1 已无法读取 MooseFS 主服务器：%2</translation>
    </message>
    <message>
        <source>No node reads a MooseFS master yet.</source>
        <translation>尚无节点读取到 MooseFS 主服务器。</translation>
    </message>
    <message>
        <source>MooseFS master %1 on %2 · RAM %3 · space %4 free of %5 · %6 files, %7 directories · %8 chunkservers, %9 metaloggers</source>
        <translation>MooseFS 主服务器 %1，位于 %2 · 内存 %3 · 空间 %5 中可用 %4 · %6 个文件，%7 个目录 · %8 个块服务器，%9 个元数据日志服务器</translation>
    </message>
    <message>
        <source>Chunks: %1 · undergoal %2 · missing %3</source>
        <translation>块：%1 · 副本不足 %2 · 缺失 %3</translation>
    </message>
    <message>
        <source>Partly read: %1</source>
        <translation>部分读取：%1</translation>
    </message>
    <message>
        <source>Turn maintenance off…</source>
        <translation>关闭维护模式…</translation>
    </message>
    <message>
        <source>Turn maintenance on…</source>
        <translation>开启维护模式…</translation>
    </message>
    <message>
        <source>Turn maintenance on for chunkserver %1</source>
        <translation>为块服务器 %1 开启维护模式</translation>
    </message>
    <message>
        <source>Turn maintenance off for chunkserver %1</source>
        <translation>为块服务器 %1 关闭维护模式</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::TimelineModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Node</source>
        <extracomment>Column header: the cluster machine (host) a row is about.</extracomment>
        <translation>节点</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::TopologyScene</name>
    <message>
        <source>Virtual IPs</source>
        <translation>虚拟 IP</translation>
    </message>
    <message>
        <source>no holder</source>
        <translation>无持有者</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>位于 %1</translation>
    </message>
    <message>
        <source>VRID %1</source>
        <translation>VRID %1</translation>
    </message>
    <message>
        <source>real server not in the inventory</source>
        <translation>不在清单中的真实服务器</translation>
    </message>
    <message>
        <source>prio %1 · %2 active</source>
        <translation>优先级 %1 · %2 活动连接</translation>
    </message>
    <message>
        <source>%1 active</source>
        <translation>%1 活动连接</translation>
    </message>
    <message>
        <source>not in IPVS</source>
        <translation>不在 IPVS 中</translation>
    </message>
    <message>
        <source>weight %1 · %2 active</source>
        <translation>权重 %1 · %2 活动连接</translation>
    </message>
    <message>
        <source>weight %1–%2 · %3 active</source>
        <translation>权重 %1–%2 · %3 活动连接</translation>
    </message>
    <message>
        <source>DRAINED</source>
        <translation>已排空</translation>
    </message>
    <message>
        <source>DR CHECK</source>
        <translation>DR 检查</translation>
    </message>
    <message>
        <source>Gateways</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>Directors</source>
        <translation>调度器</translation>
    </message>
    <message>
        <source>Real servers</source>
        <translation>真实服务器</translation>
    </message>
    <message>
        <source>Databases</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>MooseFS storage</source>
        <translation>MooseFS 存储</translation>
    </message>
    <message>
        <source>Other nodes</source>
        <translation>其他节点</translation>
    </message>
    <message>
        <source>Traffic (MASTER, weighted)</source>
        <translation>流量（MASTER，有权重）</translation>
    </message>
    <message>
        <source>Standby (BACKUP, gateway)</source>
        <translation>备用（BACKUP，网关）</translation>
    </message>
    <message>
        <source>Drained (weight 0)</source>
        <translation>已排空（权重 0）</translation>
    </message>
    <message>
        <source>Replication (lag on the edge)</source>
        <translation>复制（延迟标在连线上）</translation>
    </message>
    <message>
        <source>Replication stopped</source>
        <translation>复制已停止</translation>
    </message>
    <message>
        <source>MooseFS master to chunkserver</source>
        <translation>MooseFS 主节点到块服务器</translation>
    </message>
    <message>
        <source>Observed connection (agent&apos;s TCP view)</source>
        <translation>观测到的连接（代理看到的 TCP 连接）</translation>
    </message>
    <message>
        <source>chunkserver not in the inventory</source>
        <translation>不在清单中的块服务器</translation>
    </message>
    <message>
        <source>chunkserver · %1 % used</source>
        <translation>块服务器 · 已用 %1 %</translation>
    </message>
    <message>
        <source>not in the inventory</source>
        <translation>不在清单中</translation>
    </message>
    <message>
        <source>DB master</source>
        <translation>数据库主库</translation>
    </message>
    <message>
        <source>DB replica</source>
        <translation>数据库副本</translation>
    </message>
    <message>
        <source>DB standalone</source>
        <translation>独立数据库</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>%1 q/s</source>
        <translation>%1 查询/秒</translation>
    </message>
    <message>
        <source>DB %1</source>
        <translation>数据库 %1</translation>
    </message>
    <message>
        <source>REPL</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>来自 %1</translation>
    </message>
    <message>
        <source>MooseFS master</source>
        <translation>MooseFS 主节点</translation>
    </message>
    <message numerus="yes">
        <source>%n chunkserver(s)</source>
        <translation>
            <numerusform>%n 个块服务器</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 % used</source>
        <translation>已用 %1 %</translation>
    </message>
    <message>
        <source>MISSING</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>UNDERGOAL</source>
        <translation>副本不足</translation>
    </message>
    <message>
        <source>DISCONNECTED</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>MAINT</source>
        <translation>维护</translation>
    </message>
    <message>
        <source>metalogger</source>
        <translation>元数据日志服务器</translation>
    </message>
    <message numerus="yes">
        <source>%n node(s)</source>
        <translation>
            <numerusform>%n 个节点</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 not reachable</source>
        <translation>%1 个不可达</translation>
    </message>
    <message>
        <source>stopped (IO %1, SQL %2)</source>
        <translation>已停止（IO %1，SQL %2）</translation>
    </message>
    <message>
        <source>lag %1 s</source>
        <translation>延迟 %1 秒</translation>
    </message>
    <message>
        <source>lag unknown</source>
        <translation>延迟未知</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>maintenance</source>
        <translation>维护中</translation>
    </message>
    <message>
        <source>%1 ×%2</source>
        <translation>%1 ×%2</translation>
    </message>
    <message>
        <source>%1, %2 s ago</source>
        <translation>%1，%2 秒前</translation>
    </message>
    <message>
        <source>%1 → %2 port %3: observed by %1&apos;s agent</source>
        <translation>%1 → %2 端口 %3：由 %1 的代理观测到</translation>
    </message>
    <message>
        <source>%1, %2 closed in the last minute</source>
        <translation>%1，最近一分钟关闭 %2 个</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::TopologyView</name>
    <message>
        <source>Find a node (Ctrl+F)</source>
        <translation>查找节点（Ctrl+F）</translation>
    </message>
    <message>
        <source>A name, an address or a word on a card; Enter selects the next match</source>
        <translation>名称、地址或卡片上的文字；按回车选中下一个匹配</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <source>no match</source>
        <translation>无匹配</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>第 %1 个，共 %2 个</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::VrrpModel</name>
    <message>
        <source>Instance / director</source>
        <translation>实例 / 调度器</translation>
    </message>
    <message>
        <source>VRID</source>
        <translation>VRID</translation>
    </message>
    <message>
        <source>Sync group</source>
        <translation>同步组</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>VIPs</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Holds VIPs</source>
        <translation>持有 VIP</translation>
    </message>
    <message>
        <source>Last transition</source>
        <translation>最近切换</translation>
    </message>
    <message>
        <source>Adverts sent</source>
        <translation>已发送通告</translation>
    </message>
    <message>
        <source>Adverts received</source>
        <translation>已接收通告</translation>
    </message>
    <message>
        <source>Became master</source>
        <translation>成为主节点次数</translation>
    </message>
    <message>
        <source>no MASTER</source>
        <translation>无 MASTER</translation>
    </message>
    <message>
        <source>split brain: %1</source>
        <translation>脑裂：%1</translation>
    </message>
    <message>
        <source>MASTER on %1</source>
        <translation>MASTER 在 %1</translation>
    </message>
    <message>
        <source>effective %1, configured %2, master advertises %3</source>
        <translation>当前 %1，配置 %2，主节点通告 %3</translation>
    </message>
    <message>
        <source>wants %1</source>
        <translation>期望 %1</translation>
    </message>
    <message>
        <source>%1 (base %2)</source>
        <translation>%1（基础 %2）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::ChainPolicyDialog</name>
    <message>
        <source>Policy of chain %1</source>
        <translation>链 %1 的策略</translation>
    </message>
    <message>
        <source>What chain %1 %2 %3 (hook %4) does with a packet that no rule decided:</source>
        <translation>链 %1 %2 %3（钩子 %4）对没有任何规则裁决的数据包的处理：</translation>
    </message>
    <message>
        <source>accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>drop</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Check the change…</source>
        <translation>检查此变更…</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::ChangePreviewDialog</name>
    <message>
        <source>SSH from this console</source>
        <translation>来自本控制台的 SSH</translation>
    </message>
    <message>
        <source>VRRP between the directors</source>
        <translation>两台调度器之间的 VRRP</translation>
    </message>
    <message>
        <source>clients to a virtual service on the director</source>
        <translation>客户端访问调度器上的虚拟服务</translation>
    </message>
    <message>
        <source>clients to the VIP on this real server (LVS-DR)</source>
        <translation>客户端访问本真实服务器上的 VIP（LVS-DR）</translation>
    </message>
    <message>
        <source>keepalived&apos;s health check from a director</source>
        <translation>来自调度器的 keepalived 健康检查</translation>
    </message>
    <message>
        <source>MariaDB (3306)</source>
        <translation>MariaDB（3306）</translation>
    </message>
    <message>
        <source>MooseFS (9419–9422)</source>
        <translation>MooseFS（9419–9422）</translation>
    </message>
    <message>
        <source>clients through the gateway to a VIP</source>
        <translation>客户端经网关访问 VIP</translation>
    </message>
    <message>
        <source>Blocked: %1</source>
        <translation>被阻断：%1</translation>
    </message>
    <message>
        <source>Cannot judge: %1</source>
        <translation>无法判断：%1</translation>
    </message>
    <message>
        <source>Caused by rule %1 %2 %3 #%4: %5</source>
        <translation>由规则 %1 %2 %3 #%4 造成：%5</translation>
    </message>
    <message>
        <source>Caused by the policy of chain %1 %2 %3 (%4)</source>
        <translation>由链 %1 %2 %3 的默认策略造成（%4）</translation>
    </message>
    <message>
        <source>The lint cannot read: %1</source>
        <translation>检查器无法解读：%1</translation>
    </message>
    <message>
        <source>Packet: %1 (%2)</source>
        <translation>数据包：%1（%2）</translation>
    </message>
    <message>
        <source>Firewall change on %1</source>
        <translation>%1 上的防火墙变更</translation>
    </message>
    <message>
        <source>What changes in the ruleset (nft&apos;s own listing, + added, - removed):</source>
        <translation>规则集的变化（nft 自己的列表，+ 新增，- 删除）：</translation>
    </message>
    <message>
        <source>(the listing does not change)</source>
        <translation>（列表没有变化）</translation>
    </message>
    <message>
        <source>No preview of the new ruleset (%1): the lockout lint cannot judge it.</source>
        <translation>没有新规则集的预览（%1）：锁定检查无法判断。</translation>
    </message>
    <message numerus="yes">
        <source>The lockout lint found %n packet(s) the cluster needs that this change would block or that it cannot judge:</source>
        <translation>
            <numerusform>锁定检查发现集群需要的 %n 个数据包会被此变更阻断或无法判断：</numerusform>
        </translation>
    </message>
    <message>
        <source>The lockout lint: nothing the cluster needs is blocked.</source>
        <translation>锁定检查：集群需要的流量均未被阻断。</translation>
    </message>
    <message>
        <source>Roll back unless confirmed within</source>
        <translation>若未在此时间内确认则回滚</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Apply anyway (recorded in the audit log)</source>
        <translation>仍然应用（记入审计日志）</translation>
    </message>
    <message>
        <source>The console confirms the change over a new connection; if that cannot get in, the agent restores the current ruleset by itself at the deadline.</source>
        <translation>控制台会通过新连接确认该变更；若新连接无法登录，代理会在截止时间自行恢复当前规则集。</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::RuleCopyDialog</name>
    <message>
        <source>Copy a rule to nodes of the same role</source>
        <translation>将规则复制到同角色节点</translation>
    </message>
    <message>
        <source>Rule of %1, chain %2 %3 %4:</source>
        <translation>%1 的规则，链 %2 %3 %4：</translation>
    </message>
    <message>
        <source>Each node gets a change of its own: checked by nft, judged by the lockout lint for that node, applied and confirmed over a new connection, one node after the other. A node where the lint finds a blocked packet is left unchanged.</source>
        <translation>每个节点获得各自的变更：由 nft 检查，按该节点的防锁死检查评估，经新连接应用并确认，逐个节点进行。防锁死检查发现被阻断数据包的节点保持不变。</translation>
    </message>
    <message>
        <source>%1 reports no role: there is no node to copy to.</source>
        <translation>%1 未报告角色：没有可复制到的节点。</translation>
    </message>
    <message>
        <source>Nodes that share a role with %1 (%2):</source>
        <translation>与 %1 有相同角色（%2）的节点：</translation>
    </message>
    <message>
        <source>Roll back each unless confirmed within</source>
        <translation>各节点未在此时间内确认即回滚</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Copied and confirmed on %1 of %2 node(s).</source>
        <translation>已在 %2 个节点中的 %1 个上复制并确认。</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::RuleCopyJob</name>
    <message>
        <source>not connected: nothing changed</source>
        <translation>未连接：未做任何更改</translation>
    </message>
    <message>
        <source>reading its ruleset…</source>
        <translation>正在读取其规则集…</translation>
    </message>
    <message>
        <source>cannot read its firewall: %1</source>
        <translation>无法读取其防火墙：%1</translation>
    </message>
    <message>
        <source>it has no chain %1 %2 %3: nothing changed</source>
        <translation>该节点没有链 %1 %2 %3：未做任何更改</translation>
    </message>
    <message>
        <source>checking (nft dry run and lockout lint)…</source>
        <translation>正在检查（nft 试运行和防锁死检查）…</translation>
    </message>
    <message>
        <source>not checked: %1</source>
        <translation>未检查：%1</translation>
    </message>
    <message>
        <source>nft refused the rule (nothing changed): %1</source>
        <translation>nft 拒绝了该规则（未做任何更改）：%1</translation>
    </message>
    <message>
        <source>no preview of the new ruleset (%1): the lint cannot judge it, so it was not applied</source>
        <translation>没有新规则集的预览（%1）：防锁死检查无法判断，因此未应用</translation>
    </message>
    <message numerus="yes">
        <source>not applied: the lockout lint found %n blocked packet(s):</source>
        <translation>
            <numerusform>未应用：防锁死检查发现 %n 个被阻断的数据包：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>applying (rolled back in %n s unless confirmed)…</source>
        <translation>
            <numerusform>正在应用（%n 秒内未确认即回滚）…</numerusform>
        </translation>
    </message>
    <message>
        <source>not applied: %1</source>
        <translation>未应用：%1</translation>
    </message>
    <message>
        <source>change %1 is live: confirming it over a new connection…</source>
        <translation>变更 %1 已生效：正在通过新连接确认…</translation>
    </message>
    <message numerus="yes">
        <source>change %1 applied but a new connection cannot get in (%2): the agent rolls it back within %n s</source>
        <translation>
            <numerusform>变更 %1 已应用，但新连接无法登录（%2）：代理将在 %n 秒内回滚</numerusform>
        </translation>
    </message>
    <message>
        <source>change %1 not confirmed (%2): the agent rolls it back at its deadline</source>
        <translation>变更 %1 未确认（%2）：代理将在截止时间回滚</translation>
    </message>
    <message>
        <source>confirmed change %1 over a new connection; saved to %2</source>
        <translation>已通过新连接确认变更 %1；已保存到 %2</translation>
    </message>
    <message numerus="yes">
        <source>no answer to the apply (%1): it may be live; if it is, the Firewall tab shows it as pending and the agent rolls it back within %n s unless it is confirmed</source>
        <translation>
            <numerusform>应用未获应答（%1）：它可能已生效；若已生效，防火墙页会将其显示为待确认，未确认时代理将在 %n 秒内回滚</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::RuleEditorDialog</name>
    <message>
        <source>Add a firewall rule</source>
        <translation>添加防火墙规则</translation>
    </message>
    <message>
        <source>Chain:</source>
        <translation>链：</translation>
    </message>
    <message>
        <source>Position:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <source>Expert: write the rule as nft text</source>
        <translation>专家模式：以 nft 文本编写规则</translation>
    </message>
    <message>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <source> Named sets: %1</source>
        <translation> 命名集合：%1</translation>
    </message>
    <message>
        <source>any (address, prefix such as 198.18.1.0/24, or @set)</source>
        <translation>任意（地址、前缀如 198.18.1.0/24，或 @集合）</translation>
    </message>
    <message>
        <source>any (22, 80,443, 8000-8080 or @set)</source>
        <translation>任意（22、80,443、8000-8080 或 @集合）</translation>
    </message>
    <message>
        <source>any interface</source>
        <translation>任意接口</translation>
    </message>
    <message>
        <source>accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>drop</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>log (and go on)</source>
        <translation>记录日志（并继续）</translation>
    </message>
    <message>
        <source>count only (and go on)</source>
        <translation>仅计数（并继续）</translation>
    </message>
    <message>
        <source>log prefix (optional)</source>
        <translation>日志前缀（可选）</translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation>协议：</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>源：</translation>
    </message>
    <message>
        <source>Source ports:</source>
        <translation>源端口：</translation>
    </message>
    <message>
        <source>Destination:</source>
        <translation>目标：</translation>
    </message>
    <message>
        <source>Destination ports:</source>
        <translation>目标端口：</translation>
    </message>
    <message>
        <source>In interface:</source>
        <translation>入接口：</translation>
    </message>
    <message>
        <source>Out interface:</source>
        <translation>出接口：</translation>
    </message>
    <message>
        <source>Connection state:</source>
        <translation>连接状态：</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>动作：</translation>
    </message>
    <message>
        <source>Log prefix:</source>
        <translation>日志前缀：</translation>
    </message>
    <message>
        <source>Comment:</source>
        <translation>注释：</translation>
    </message>
    <message>
        <source>an nft rule, e.g. tcp dport 8443 ct state new counter accept</source>
        <translation>一条 nft 规则，例如 tcp dport 8443 ct state new counter accept</translation>
    </message>
    <message>
        <source>Check the change…</source>
        <translation>检查变更…</translation>
    </message>
    <message>
        <source>at the end of the chain</source>
        <translation>在链的末尾</translation>
    </message>
    <message>
        <source>at the start of the chain</source>
        <translation>在链的开头</translation>
    </message>
    <message>
        <source>before #%1: %2</source>
        <translation>在 #%1 之前：%2</translation>
    </message>
    <message>
        <source>after #%1: %2</source>
        <translation>在 #%1 之后：%2</translation>
    </message>
    <message>
        <source>this ruleset has no chain to add a rule to</source>
        <translation>此规则集没有可添加规则的链</translation>
    </message>
    <message>
        <source>the rule is empty</source>
        <translation>规则为空</translation>
    </message>
    <message>
        <source>Not yet a rule: %1</source>
        <translation>还不是有效规则：%1</translation>
    </message>
    <message>
        <source>nft: %1</source>
        <translation>nft：%1</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::RuleWords</name>
    <message>
        <source>set %1</source>
        <translation>集合 %1</translation>
    </message>
    <message>
        <source>accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>drop</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>return to the calling chain</source>
        <translation>返回调用链</translation>
    </message>
    <message>
        <source>jump to %1</source>
        <translation>跳转到 %1</translation>
    </message>
    <message>
        <source>go to %1</source>
        <translation>转到 %1</translation>
    </message>
    <message>
        <source>log</source>
        <translation>记录日志</translation>
    </message>
    <message>
        <source>log as &quot;%1&quot;</source>
        <translation>记录日志，前缀“%1”</translation>
    </message>
    <message>
        <source>not %1</source>
        <translation>非 %1</translation>
    </message>
    <message>
        <source>port %1</source>
        <translation>端口 %1</translation>
    </message>
    <message>
        <source>coming in on %1</source>
        <translation>从 %1 进入</translation>
    </message>
    <message>
        <source>going out on %1</source>
        <translation>从 %1 发出</translation>
    </message>
    <message>
        <source>in connection state %1</source>
        <translation>连接状态为 %1</translation>
    </message>
    <message>
        <source>count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>all traffic</source>
        <translation>所有流量</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>来自 %1</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>发往 %1</translation>
    </message>
    <message>
        <source>(and a match shown only in the nft text)</source>
        <translation>（另有仅在 nft 文本中显示的匹配条件）</translation>
    </message>
    <message>
        <source>regular chain (reached by jump or goto)</source>
        <translation>普通链（通过 jump 或 goto 到达）</translation>
    </message>
    <message>
        <source>%1 hook %2, priority %3, policy %4</source>
        <translation>%1 钩子 %2，优先级 %3，策略 %4</translation>
    </message>
    <message>
        <source>unknown protocol &quot;%1&quot;</source>
        <translation>未知协议“%1”</translation>
    </message>
    <message>
        <source>unknown action &quot;%1&quot;</source>
        <translation>未知动作“%1”</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an interface name</source>
        <translation>“%1”不是接口名</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not an address, a prefix or @set</source>
        <translation>%1：“%2”不是地址、前缀或 @集合</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; does not fit a table of family %3</source>
        <translation>%1：“%2”与族为 %3 的表不符</translation>
    </message>
    <message>
        <source>source</source>
        <translation>源</translation>
    </message>
    <message>
        <source>destination</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>ports need the protocol tcp or udp</source>
        <translation>端口需要 tcp 或 udp 协议</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a port, a list (80,443), a range (8000-8080) or @set</source>
        <translation>“%1”不是端口、列表（80,443）、范围（8000-8080）或 @集合</translation>
    </message>
    <message>
        <source>unknown connection state &quot;%1&quot;</source>
        <translation>未知连接状态“%1”</translation>
    </message>
    <message>
        <source>the log prefix may hold letters, digits, spaces and _ . : = - (at most 60)</source>
        <translation>日志前缀只能包含字母、数字、空格和 _ . : = -（最多 60 个）</translation>
    </message>
    <message>
        <source>the comment may not hold quotes or line breaks (at most 128 characters)</source>
        <translation>注释不能包含引号或换行（最多 128 个字符）</translation>
    </message>
</context>
<context>
    <name>hadeck::ui::fw::SetElementsDialog</name>
    <message>
        <source>Elements of %1 %2</source>
        <translation>%1 %2 的元素</translation>
    </message>
    <message>
        <source>map</source>
        <translation>映射</translation>
    </message>
    <message>
        <source>set</source>
        <translation>集合</translation>
    </message>
    <message>
        <source>%1 %2 %3, type %4</source>
        <translation>%1 %2 %3，类型 %4</translation>
    </message>
    <message>
        <source>Add (comma-separated, e.g. 198.18.1.5, 198.18.2.0/24):</source>
        <translation>添加（以逗号分隔，例如 198.18.1.5, 198.18.2.0/24）：</translation>
    </message>
    <message>
        <source>Check the elements to delete:</source>
        <translation>勾选要删除的元素：</translation>
    </message>
    <message>
        <source>Check the change…</source>
        <translation>检查此变更…</translation>
    </message>
    <message>
        <source>nothing to add or delete</source>
        <translation>没有要添加或删除的内容</translation>
    </message>
    <message>
        <source>nft: %1</source>
        <translation>nft：%1</translation>
    </message>
    <message>
        <source>Not yet a change: %1</source>
        <translation>尚不是有效变更：%1</translation>
    </message>
</context>
<context>
    <name>hadeckctl</name>
    <message>
        <source>show each node&apos;s connection state, roles, user and permission</source>
        <translation>显示每个节点的连接状态、角色、用户和权限</translation>
    </message>
    <message>
        <source>status takes no arguments</source>
        <translation>status 不接受参数</translation>
    </message>
    <message>
        <source>NODE</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>STATE</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>ROLES</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>USER</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>PERMISSION</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Preflight for %1:
</source>
        <translation>%1 的预检：
</translation>
    </message>
    <message>
        <source>ETA %1 s</source>
        <translation>预计 %1 秒</translation>
    </message>
    <message>
        <source>ETA -</source>
        <translation>预计 -</translation>
    </message>
    <message>
        <source>%1 %2 left  directors %3  server %4  busy %5  %6</source>
        <translation>%1 剩余 %2  调度器 %3  服务器 %4  忙碌 %5  %6</translation>
    </message>
    <message>
        <source>usage: hadeckctl restore NODE|ADDRESS [--service KEY] [--port N]
</source>
        <translation>用法：hadeckctl restore 节点|地址 [--service KEY] [--port N]
</translation>
    </message>
    <message>
        <source>%1: %2
</source>
        <translation>%1：%2
</translation>
    </message>
    <message>
        <source>keepalived&apos;s configuration</source>
        <translation>keepalived 的配置</translation>
    </message>
    <message>
        <source>the weight before the drain</source>
        <translation>排空前的权重</translation>
    </message>
    <message>
        <source>the default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>; it was %1 before the drain</source>
        <translation>；排空前为 %1</translation>
    </message>
    <message>
        <source>%1: %2 weight %3 (from %4)
</source>
        <translation>%1：%2 权重 %3（来自%4）
</translation>
    </message>
    <message>
        <source>usage: hadeckctl failover INSTANCE [--group GROUP] [--to DIRECTOR] [--force] [--keep-out]
</source>
        <translation>用法：hadeckctl failover 实例 [--group 组] [--to 调度器] [--force] [--keep-out]
</translation>
    </message>
    <message>
        <source>usage: hadeckctl maintenance DIRECTOR on|off INSTANCE
</source>
        <translation>用法：hadeckctl maintenance 调度器 on|off 实例
</translation>
    </message>
    <message>
        <source>hadeckctl: %1 is not a director of this cluster
</source>
        <translation>hadeckctl：%1 不是本集群的调度器
</translation>
    </message>
    <message>
        <source>NODE|ADDRESS: weight 0 on every director, held; --wait follows it to zero</source>
        <translation>节点|地址：在所有调度器上将权重设为 0 并保持；--wait 跟踪至连接归零</translation>
    </message>
    <message>
        <source>NODE|ADDRESS: release a drain and give the weight back</source>
        <translation>节点|地址：解除排空并恢复权重</translation>
    </message>
    <message>
        <source>INSTANCE: hand MASTER to the peer director, verified</source>
        <translation>实例：将 MASTER 交给对端调度器，并验证</translation>
    </message>
    <message>
        <source>DIRECTOR on|off INSTANCE: keep a director out of VRRP</source>
        <translation>调度器 on|off 实例：让调度器退出 VRRP</translation>
    </message>
    <message>
        <source>hadeckctl: no director in this cluster answered
</source>
        <translation>hadeckctl：本集群没有调度器响应
</translation>
    </message>
    <message>
        <source>The authenticity of host %1 (%2, port %3) can&apos;t be established.
%4 key fingerprint is %5.
Accept it and add it to %6? (y/N) </source>
        <translation>无法确认主机 %1（%2，端口 %3）的真实性。
%4 密钥指纹为 %5。
接受并添加到 %6 吗？(y/N) </translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>Wrong passphrase.
</source>
        <translation>口令错误。
</translation>
    </message>
    <message>
        <source>Passphrase for %1 (node %2): </source>
        <translation>%1 的口令（节点 %2）：</translation>
    </message>
    <message>
        <source>usage: hadeckctl drain NODE|ADDRESS [--service KEY] [--port N] [--force] [--wait] [--drain-timeout S] [--on-timeout wait|force|cancel|fail]
</source>
        <translation>用法：hadeckctl drain 节点|地址 [--service KEY] [--port N] [--force] [--wait] [--drain-timeout S] [--on-timeout wait|force|cancel|fail]
</translation>
    </message>
    <message>
        <source>Waiting another %1 s.
</source>
        <translation>再等待 %1 秒。
</translation>
    </message>
    <message>
        <source>Timed out with %1 connection(s) left; the drain stays applied. Choose with --on-timeout=wait|force|cancel (or run on a terminal to be asked), or: hadeckctl restore %2
</source>
        <translation>超时，仍有 %1 个连接；摘除保持生效。可用 --on-timeout=wait|force|cancel 选择（或在终端上运行以便询问），或执行：hadeckctl restore %2
</translation>
    </message>
    <message>
        <source>%1 lacks the hadeck track file for %2. To add it (admin: checked with keepalived -t, then keepalived reloaded):
    %3</source>
        <translation>%1 缺少 %2 的 hadeck 跟踪文件。添加方法（需要管理员：先用 keepalived -t 检查，再重新加载 keepalived）：
    %3</translation>
    </message>
    <message>
        <source>%1 is out of service for %2 (FAULT) until: hadeckctl maintenance %1 off %2</source>
        <translation>%1 已对 %2 停止服务（FAULT），直到执行：hadeckctl maintenance %1 off %2</translation>
    </message>
    <message>
        <source>%1 is back in service for %2.</source>
        <translation>%1 已对 %2 恢复服务。</translation>
    </message>
    <message>
        <source>usage: hadeckctl add-track DIRECTOR INSTANCE
</source>
        <translation>用法：hadeckctl add-track 调度器 实例
</translation>
    </message>
    <message>
        <source>DIRECTOR INSTANCE: add the hadeck track file to keepalived&apos;s configuration, check it with keepalived -t, reload (admin)</source>
        <translation>调度器 实例：把 hadeck 跟踪文件加入 keepalived 配置，用 keepalived -t 检查，然后重新加载（管理员）</translation>
    </message>
    <message>
        <source>Cluster inventory: a file path or a cluster name.</source>
        <translation>集群清单：文件路径或集群名称。</translation>
    </message>
    <message>
        <source>FILE|NAME</source>
        <translation>FILE|NAME</translation>
    </message>
    <message>
        <source>Never ask: refuse unknown host keys and encrypted keys.</source>
        <translation>从不询问：拒绝未知主机密钥和加密密钥。</translation>
    </message>
    <message>
        <source>Machine-readable output on stdout.</source>
        <translation>在标准输出上输出机器可读的结果。</translation>
    </message>
    <message>
        <source>S</source>
        <translation>S</translation>
    </message>
    <message>
        <source>drain: follow the drain until no connection is left.</source>
        <translation>drain：跟踪摘除，直到没有剩余连接。</translation>
    </message>
    <message>
        <source>drain, failover: go ahead although a preflight check failed (audited).</source>
        <translation>drain、failover：即使预检失败也继续（会记入审计）。</translation>
    </message>
    <message>
        <source>failover: keep the old MASTER in FAULT (director maintenance).</source>
        <translation>failover：让原 MASTER 保持 FAULT（调度器维护）。</translation>
    </message>
    <message>
        <source>drain, restore: only this virtual service, e.g. &quot;TCP 198.18.0.100:80&quot;.</source>
        <translation>drain、restore：仅限此虚拟服务，例如 &quot;TCP 198.18.0.100:80&quot;。</translation>
    </message>
    <message>
        <source>KEY</source>
        <translation>KEY</translation>
    </message>
    <message>
        <source>drain, restore: only the real server&apos;s port N.</source>
        <translation>drain、restore：仅限真实服务器的端口 N。</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>GROUP</source>
        <translation>GROUP</translation>
    </message>
    <message>
        <source>failover: the director that must become MASTER.</source>
        <translation>failover：必须成为 MASTER 的调度器。</translation>
    </message>
    <message>
        <source>DIRECTOR</source>
        <translation>DIRECTOR</translation>
    </message>
    <message>
        <source>drain --wait: seconds before the timeout choice (default 600).</source>
        <translation>drain --wait：超时选择前的秒数（默认 600）。</translation>
    </message>
    <message>
        <source>drain --wait: at the timeout, wait (another period), force (call it done), cancel (give the weight back) or fail (exit 5, the drain stays). Default: ask on a terminal, else fail.</source>
        <translation>drain --wait：超时时可选择 wait（再等一个周期）、force（视为完成）、cancel（恢复权重）或 fail（退出码 5，摘除保持）。默认：在终端上询问，否则 fail。</translation>
    </message>
    <message>
        <source>CHOICE</source>
        <translation>CHOICE</translation>
    </message>
    <message>
        <source>What to do (see Commands).</source>
        <translation>要执行的操作（见“命令”）。</translation>
    </message>
    <message>
        <source>no command given; try --help</source>
        <translation>未给出命令；请尝试 --help</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;; try --help</source>
        <translation>未知命令“%1”；请尝试 --help</translation>
    </message>
    <message>
        <source>--port needs a port number</source>
        <translation>--port 需要一个端口号</translation>
    </message>
    <message>
        <source>--on-timeout takes wait, force, cancel or fail</source>
        <translation>--on-timeout 只接受 wait、force、cancel 或 fail</translation>
    </message>
    <message>
        <source>--drain-timeout needs a number of seconds from 1 to 86400</source>
        <translation>--drain-timeout 需要 1 到 86400 之间的秒数</translation>
    </message>
    <message>
        <source>--timeout needs a number of seconds from 1 to 3600</source>
        <translation>--timeout 需要 1 到 3600 之间的秒数</translation>
    </message>
    <message>
        <source>no cluster inventory in %1; give one with --cluster FILE</source>
        <translation>%1 中没有集群清单；请用 --cluster FILE 指定</translation>
    </message>
    <message>
        <source>several clusters (%1); choose one with --cluster NAME</source>
        <translation>有多个集群（%1）；请用 --cluster NAME 选择一个</translation>
    </message>
    <message>
        <source>Timed out after %1 s with %2 connection(s) left. [w]ait another %3 s, [f]orce (call it done), [c]ancel (give the weight back), or [q]uit (the drain stays)? </source>
        <translation>%1 秒后超时，仍有 %2 个连接。[w] 再等 %3 秒，[f] 强制（视为完成），[c] 取消（恢复权重），或 [q] 退出（摘除保持）？ </translation>
    </message>
    <message>
        <source>Please answer w, f, c or q.
</source>
        <translation>请回答 w、f、c 或 q。
</translation>
    </message>
    <message>
        <source>Language of the messages: en or zh_CN (default: HADECK_LANG, else the locale).</source>
        <translation>消息语言：en 或 zh_CN（默认：HADECK_LANG，否则按区域设置）。</translation>
    </message>
    <message>
        <source>CODE</source>
        <translation>CODE</translation>
    </message>
    <message>
        <source>CRITICAL</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>%1: %2, read_only %3</source>
        <translation>%1：%2，read_only %3</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>  %1 &lt;- %2: IO %3, SQL %4, lag %5</source>
        <translation>  %1 &lt;- %2：IO %3，SQL %4，延迟 %5</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>no database server answered</source>
        <translation>没有数据库服务器应答</translation>
    </message>
    <message>
        <source>no node reads a MooseFS master</source>
        <translation>没有节点读取 MooseFS 主服务器</translation>
    </message>
    <message>
        <source>MooseFS %1 on %2: %3 of %4 free, %5 files, %6 chunks, %7 undergoal, %8 missing</source>
        <translation>MooseFS %1 位于 %2：%4 中空闲 %3，%5 个文件，%6 个块，%7 个低于目标副本数，%8 个缺失</translation>
    </message>
    <message>
        <source>  chunkserver %1:%2 %3, maintenance %4, %5 chunks, %6 of %7 used</source>
        <translation>  块服务器 %1:%2 %3，维护 %4，%5 个块，已用 %6 / %7</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>DISCONNECTED</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>  metalogger %1 (%2)</source>
        <translation>  元数据日志服务器 %1（%2）</translation>
    </message>
    <message>
        <source>%1: no answer (%2)</source>
        <translation>%1：无应答（%2）</translation>
    </message>
    <message>
        <source>%1: load %2, CPU %3 %, memory %4 %, fullest %5 at %6 %</source>
        <translation>%1：负载 %2，CPU %3 %，内存 %4 %，最满的 %5 为 %6 %</translation>
    </message>
    <message>
        <source>  Apache %1: %2 busy, %3 idle of %4, %5 requests/s</source>
        <translation>  Apache %1：%2 忙，%3 空闲，共 %4，每秒 %5 个请求</translation>
    </message>
    <message>
        <source>usage: logs NODE SOURCE [--since 1h] [--grep TEXT] [--lines N]</source>
        <translation>用法：logs NODE SOURCE [--since 1h] [--grep TEXT] [--lines N]</translation>
    </message>
    <message>
        <source>--since takes 30s, 15m, 2h, 1d, unix seconds or an ISO date-time</source>
        <translation>--since 接受 30s、15m、2h、1d、Unix 秒数或 ISO 日期时间</translation>
    </message>
    <message>
        <source>%1 is not online: %2</source>
        <translation>%1 不在线：%2</translation>
    </message>
    <message>
        <source>no answer within the timeout</source>
        <translation>超时内无应答</translation>
    </message>
    <message>
        <source>(older lines left out; narrow with --since or --grep)</source>
        <translation>（较早的行已省略；请用 --since 或 --grep 缩小范围）</translation>
    </message>
    <message>
        <source>usage: history NODE [SERIES] [--since 1h] [--step S]</source>
        <translation>用法：history NODE [SERIES] [--since 1h] [--step S]</translation>
    </message>
    <message>
        <source>not done: the preflight warns; repeat with --force to go ahead</source>
        <translation>未执行：预检有警告；如要继续请加 --force 重试</translation>
    </message>
    <message>
        <source>usage: db-replica NODE start|stop [--force]</source>
        <translation>用法：db-replica NODE start|stop [--force]</translation>
    </message>
    <message>
        <source>usage: db-read-only NODE on|off [--force]</source>
        <translation>用法：db-read-only NODE on|off [--force]</translation>
    </message>
    <message>
        <source>usage: mfs-maintenance MASTER_NODE CHUNKSERVER_IP on|off [--port 9422] [--force]</source>
        <translation>用法：mfs-maintenance MASTER_NODE CHUNKSERVER_IP on|off [--port 9422] [--force]</translation>
    </message>
    <message>
        <source>replication topology: masters, replicas, threads and lag, with the checks</source>
        <translation>复制拓扑：主库、副本、线程和延迟，以及检查结果</translation>
    </message>
    <message>
        <source>MooseFS: master, chunkservers, space and chunk health</source>
        <translation>MooseFS：主服务器、块服务器、空间和块健康状况</translation>
    </message>
    <message>
        <source>host health, Apache workers and the observed edges between nodes</source>
        <translation>主机健康、Apache 工作线程以及节点之间观察到的连接</translation>
    </message>
    <message>
        <source>NODE SOURCE: lines of a named log source (--since, --grep, --lines)</source>
        <translation>NODE SOURCE：指定名称日志源的行（--since、--grep、--lines）</translation>
    </message>
    <message>
        <source>NODE [SERIES]: a series from the agent&apos;s history, or the list (--since, --step)</source>
        <translation>NODE [SERIES]：代理历史中的一个序列，或序列列表（--since、--step）</translation>
    </message>
    <message>
        <source>NODE start|stop: the replica threads, after a preflight (--force past its warnings)</source>
        <translation>NODE start|stop：启停副本线程，先做预检（--force 可越过其警告）</translation>
    </message>
    <message>
        <source>NODE on|off: the server&apos;s read_only, after a preflight (--force past its warnings)</source>
        <translation>NODE on|off：服务器的 read_only，先做预检（--force 可越过其警告）</translation>
    </message>
    <message>
        <source>MASTER_NODE CHUNKSERVER_IP on|off: chunkserver maintenance; the preflight shows the 20 % rule</source>
        <translation>MASTER_NODE CHUNKSERVER_IP on|off：块服务器维护；预检会显示 20 % 规则</translation>
    </message>
    <message>
        <source>show|pending|check|diff|apply|confirm|rollback NODE: the node&apos;s nftables firewall; apply is commit-confirmed and confirmed over a new connection</source>
        <translation>show|pending|check|diff|apply|confirm|rollback NODE：节点的 nftables 防火墙；apply 为确认式提交，并通过新连接确认</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>  (owned by iptables-nft: edit with iptables)</source>
        <translation>  （由 iptables-nft 管理：请用 iptables 编辑）</translation>
    </message>
    <message>
        <source>  [%1 packets, %2 bytes]</source>
        <translation>  [%1 个包，%2 字节]</translation>
    </message>
    <message>
        <source>iptables-legacy (read-only): %1
</source>
        <translation>iptables-legacy（只读）：%1
</translation>
    </message>
    <message>
        <source>hash %1
</source>
        <translation>哈希 %1
</translation>
    </message>
    <message>
        <source>hadeckctl fw: %1
</source>
        <translation>hadeckctl fw：%1
</translation>
    </message>
    <message>
        <source>hadeckctl fw: could not confirm over a new connection: %1
</source>
        <translation>hadeckctl fw：无法通过新连接确认：%1
</translation>
    </message>
    <message>
        <source>confirmed %1 over a new connection; persisted to %2%3
</source>
        <translation>已通过新连接确认 %1；已保存到 %2%3
</translation>
    </message>
    <message>
        <source> (previous kept as %1)</source>
        <translation>（原文件保留为 %1）</translation>
    </message>
    <message>
        <source>usage: hadeckctl fw show|pending|check|diff|apply|confirm|rollback NODE ...
</source>
        <translation>用法：hadeckctl fw show|pending|check|diff|apply|confirm|rollback NODE ...
</translation>
    </message>
    <message>
        <source>hadeckctl fw: no node &quot;%1&quot; in the inventory
</source>
        <translation>hadeckctl fw：清单中没有节点“%1”
</translation>
    </message>
    <message>
        <source>usage: hadeckctl fw confirm NODE ID
</source>
        <translation>用法：hadeckctl fw confirm NODE ID
</translation>
    </message>
    <message>
        <source>nothing is waiting for confirmation on %1
</source>
        <translation>%1 上没有等待确认的变更
</translation>
    </message>
    <message>
        <source>%1: change %2 by %3, rolled back at %4 unless confirmed
</source>
        <translation>%1：%3 的变更 %2，若未确认将于 %4 回滚
</translation>
    </message>
    <message>
        <source>restored %1
</source>
        <translation>已恢复 %1
</translation>
    </message>
    <message>
        <source>hadeckctl fw: unknown subcommand &quot;%1&quot;
</source>
        <translation>hadeckctl fw：未知子命令“%1”
</translation>
    </message>
    <message>
        <source>nft refused the change (nothing changed):
%1</source>
        <translation>nft 拒绝了该变更（未做任何更改）：
%1</translation>
    </message>
    <message>
        <source>no preview of the new ruleset (%1): the lockout lint cannot judge it
</source>
        <translation>无法预览新规则集（%1）：锁定检查无法判断
</translation>
    </message>
    <message>
        <source>lint: %1
</source>
        <translation>检查：%1
</translation>
    </message>
    <message>
        <source>lint: nothing the cluster needs is blocked
</source>
        <translation>检查：集群所需的流量均未被阻断
</translation>
    </message>
    <message>
        <source>hadeckctl fw: not applied: the change blocks or cannot be judged for what the cluster needs; --force applies it anyway (audited)
</source>
        <translation>hadeckctl fw：未应用：该变更会阻断集群所需的流量，或无法判断；--force 可强制应用（记入审计）
</translation>
    </message>
    <message>
        <source>applied %1 on %2; confirming over a new connection (rolled back in %3 s otherwise)
</source>
        <translation>已在 %2 上应用 %1；正通过新连接确认（否则 %3 秒后回滚）
</translation>
    </message>
    <message>
        <source>fw: a rule (nft text) to add; repeatable.</source>
        <translation>fw：要添加的规则（nft 文本）；可重复。</translation>
    </message>
    <message>
        <source>RULE</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>fw: the chain of --add-rule, FAMILY/TABLE/CHAIN.</source>
        <translation>fw：--add-rule 所在的链，FAMILY/TABLE/CHAIN。</translation>
    </message>
    <message>
        <source>CHAIN</source>
        <translation>链</translation>
    </message>
    <message>
        <source>fw apply: seconds before the agent rolls back (10 to 600, default 60).</source>
        <translation>fw apply：代理回滚前的秒数（10 到 600，默认 60）。</translation>
    </message>
    <message>
        <source>SECONDS</source>
        <translation>秒数</translation>
    </message>
    <message>
        <source>logs, history: from this time on (30s, 15m, 2h, 1d, unix seconds or ISO).</source>
        <translation>logs、history：从此时间开始（30s、15m、2h、1d、Unix 秒数或 ISO 时间）。</translation>
    </message>
    <message>
        <source>WHEN</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>logs: only lines containing this text.</source>
        <translation>logs：只显示包含此文本的行。</translation>
    </message>
    <message>
        <source>TEXT</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>logs: at most N lines (default 200).</source>
        <translation>logs：最多 N 行（默认 200）。</translation>
    </message>
    <message>
        <source>history: seconds between points (60 and more: minute means).</source>
        <translation>history：数据点间隔秒数（60 及以上：分钟平均值）。</translation>
    </message>
    <message>
        <source>logs: keep printing new lines.</source>
        <translation>logs：持续输出新行。</translation>
    </message>
    <message>
        <source>--lines needs a number from 1 to 5000</source>
        <translation>--lines 需要 1 到 5000 之间的数字</translation>
    </message>
    <message>
        <source>--step needs a number of seconds from 1 to 86400</source>
        <translation>--step 需要 1 到 86400 之间的秒数</translation>
    </message>
    <message>
        <source>--confirm-within needs a number of seconds from 10 to 600</source>
        <translation>--confirm-within 需要 10 到 600 之间的秒数</translation>
    </message>
    <message>
        <source>%1 stale on %2 (not holding the VIP)</source>
        <translation>%2 上有 %1 个过期条目（未持有 VIP）</translation>
    </message>
    <message>
        <source>%1 Follow with: hadeckctl drain %2 --wait
</source>
        <translation>%1 继续跟踪：hadeckctl drain %2 --wait
</translation>
    </message>
    <message>
        <source>No active alarm.</source>
        <translation>没有当前告警。</translation>
    </message>
    <message>
        <source>(acknowledged by %1)</source>
        <translation>（已由 %1 确认）</translation>
    </message>
    <message>
        <source>%1 did not list its alarms: %2</source>
        <translation>%1 未列出其告警：%2</translation>
    </message>
    <message>
        <source>no answer in time</source>
        <translation>未及时应答</translation>
    </message>
    <message>
        <source>alarms takes no arguments</source>
        <translation>alarms 不接受参数</translation>
    </message>
    <message>
        <source>check takes no arguments</source>
        <translation>check 不接受参数</translation>
    </message>
    <message numerus="yes">
        <source>CRITICAL: %n alarm(s)</source>
        <translation>
            <numerusform>严重：%n 个告警</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>WARNING: %n alarm(s)</source>
        <translation>
            <numerusform>警告：%n 个告警</numerusform>
        </translation>
    </message>
    <message>
        <source>OK: no warning or critical alarm</source>
        <translation>正常：没有警告或严重告警</translation>
    </message>
    <message>
        <source>the active alarms: each agent&apos;s own and the checks across nodes (split brain, keepalived down, ...)</source>
        <translation>当前告警：各代理自身的告警与跨节点检查（脑裂、keepalived 停止等）</translation>
    </message>
    <message>
        <source>the alarms as an exit code for cron or a systemd timer: 0 none, 7 a warning, 8 a critical one</source>
        <translation>以退出码表示告警，供 cron 或 systemd 定时器使用：0 无，7 有警告，8 有严重告警</translation>
    </message>
    <message>
        <source>  %1: VRRP unknown (%2)
</source>
        <translation>  %1：VRRP 状态未知（%2）
</translation>
    </message>
    <message>
        <source>  %1: keepalived is not running
</source>
        <translation>  %1：keepalived 未运行
</translation>
    </message>
    <message>
        <source>  %1  %2  %3  %4
</source>
        <translation>  %1  %2  %3  %4
</translation>
    </message>
    <message>
        <source>holds the VIPs</source>
        <translation>持有 VIP</translation>
    </message>
    <message>
        <source>does not hold the VIPs</source>
        <translation>未持有 VIP</translation>
    </message>
    <message>
        <source>VRRP:
</source>
        <translation>VRRP：
</translation>
    </message>
    <message>
        <source>ALARMS</source>
        <translation>告警</translation>
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
        <translation>以脚本方式访问 HaDeck 集群。

命令：
%1
集群是 %2 中的文件（使用文件基本名）或任意路径。

退出码：
  0  所有节点在线（或降级：可达但缓慢）
  1  有节点不可达或未及时应答
  2  用法或清单错误
  3  有节点被拒绝：未知或已改变的主机密钥、认证或权限
  4  操作被预检拒绝，或执行失败
  5  drain --wait 超时且仍有连接（未强制；使用 --on-timeout=cancel 时权重已恢复）
  6  有节点发送了本控制台无法读取的内容（协议错误）；将重试
  7  check：有警告告警，或有节点未列出其告警
  8  check：有严重告警</translation>
    </message>
    <message>
        <source>Seconds to wait for the nodes (default 10; 30 for drain, restore, failover, maintenance and add-track).</source>
        <translation>等待节点的秒数（默认 10；drain、restore、failover、maintenance 和 add-track 为 30）。</translation>
    </message>
    <message>
        <source>%1 is not in the inventory</source>
        <translation>%1 不在清单中</translation>
    </message>
    <message>
        <source>not online: %1</source>
        <translation>不在线：%1</translation>
    </message>
    <message>
        <source>%1: chain intact, %2 entries (%3)</source>
        <translation>%1：哈希链完好，%2 条记录（%3）</translation>
    </message>
    <message>
        <source>%1: chain BROKEN at line %2 of %3: %4</source>
        <translation>%1：%3 的哈希链在第 %2 行损坏：%4</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>[NODE...]: the agents&apos; audit entries merged in time order (--user, --grep ACTION, --since, --lines), and each node&apos;s chain verification</source>
        <translation>[NODE...]：各代理的审计记录按时间合并（--user、--grep 操作、--since、--lines），以及每个节点的哈希链校验</translation>
    </message>
    <message>
        <source>NODE...: install or upgrade hadeck-agent over SSH (--package FILE.deb, --group; sudo asks for the password)</source>
        <translation>节点...：通过 SSH 安装或升级 hadeck-agent（--package 文件.deb、--group；sudo 会询问密码）</translation>
    </message>
    <message>
        <source>usage: hadeckctl deploy NODE... [--package FILE.deb] [--group hadeck|hadeck-operator|hadeck-admin]
</source>
        <translation>用法：hadeckctl deploy 节点... [--package 文件.deb] [--group hadeck|hadeck-operator|hadeck-admin]
</translation>
    </message>
    <message>
        <source>hadeckctl: no hadeck-agent_*.deb here or beside hadeckctl; give one with --package FILE.deb
</source>
        <translation>hadeckctl：当前目录和 hadeckctl 旁都没有 hadeck-agent_*.deb；请用 --package 文件.deb 指定
</translation>
    </message>
    <message>
        <source>%1: sudo needs the password of %2, and this run may not ask (--batch or no terminal)
</source>
        <translation>%1：sudo 需要 %2 的密码，而本次运行不能询问（--batch 或没有终端）
</translation>
    </message>
    <message>
        <source>[sudo] password of %1 on %2: </source>
        <translation>[sudo] %1 在 %2 上的密码：</translation>
    </message>
    <message>
        <source>hadeckctl: %1
</source>
        <translation>hadeckctl：%1
</translation>
    </message>
    <message>
        <source>deploying %1 to %2
</source>
        <translation>正在将 %1 部署到 %2
</translation>
    </message>
    <message>
        <source>--add-rule and --policy need --chain FAMILY/TABLE/CHAIN, e.g. inet/filter/input</source>
        <translation>--add-rule 和 --policy 需要 --chain FAMILY/TABLE/CHAIN，例如 inet/filter/input</translation>
    </message>
    <message>
        <source>--add-element and --delete-element need --set FAMILY/TABLE/SET, e.g. inet/filter/admins</source>
        <translation>--add-element 和 --delete-element 需要 --set FAMILY/TABLE/SET，例如 inet/filter/admins</translation>
    </message>
    <message>
        <source>give a FILE of nft commands, --add-rule RULE --chain FAMILY/TABLE/CHAIN, --policy POLICY --chain FAMILY/TABLE/CHAIN, or --add-element/--delete-element ELEMENT --set FAMILY/TABLE/SET</source>
        <translation>请给出 nft 命令文件、--add-rule RULE --chain FAMILY/TABLE/CHAIN、--policy POLICY --chain FAMILY/TABLE/CHAIN，或 --add-element/--delete-element ELEMENT --set FAMILY/TABLE/SET</translation>
    </message>
    <message>
        <source>cannot judge: the virtual services are not known (no IPVS table from %1)</source>
        <translation>无法判断：虚拟服务未知（没有来自 %1 的 IPVS 表）</translation>
    </message>
    <message>
        <source>applied %1 on %2, not confirmed (--no-confirm): hadeckctl fw confirm %2 %1 keeps it; otherwise the agent rolls it back in %3 s
</source>
        <translation>已在 %2 上应用 %1，未确认（--no-confirm）：hadeckctl fw confirm %2 %1 可保留它；否则代理将在 %3 秒后回滚
</translation>
    </message>
    <message>
        <source>%1: done
</source>
        <translation>%1：完成
</translation>
    </message>
    <message>
        <source>%1: failed (exit %2)
</source>
        <translation>%1：失败（退出码 %2）
</translation>
    </message>
    <message>
        <source>failover, maintenance: the whole VRRP sync group. deploy: the SSH user&apos;s group on the node, hadeck (read), hadeck-operator or hadeck-admin (default hadeck).</source>
        <translation>failover、maintenance：整个 VRRP 同步组。deploy：SSH 用户在节点上所属的组，hadeck（只读）、hadeck-operator 或 hadeck-admin（默认 hadeck）。</translation>
    </message>
    <message>
        <source>fw: set the policy of --chain to accept or drop.</source>
        <translation>fw：将 --chain 的策略设为 accept 或 drop。</translation>
    </message>
    <message>
        <source>POLICY</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>fw: the named set of --add-element/--delete-element, FAMILY/TABLE/SET.</source>
        <translation>fw：--add-element/--delete-element 所用的命名集合，FAMILY/TABLE/SET。</translation>
    </message>
    <message>
        <source>SET</source>
        <translation>集合</translation>
    </message>
    <message>
        <source>fw: an element to add to --set; repeatable.</source>
        <translation>fw：要添加到 --set 的元素；可重复。</translation>
    </message>
    <message>
        <source>ELEMENT</source>
        <translation>元素</translation>
    </message>
    <message>
        <source>fw: an element to delete from --set; repeatable.</source>
        <translation>fw：要从 --set 删除的元素；可重复。</translation>
    </message>
    <message>
        <source>fw check/apply: also every node that shares a role with NODE, each with a change of its own, checked, linted and confirmed on its own.</source>
        <translation>fw check/apply：同时作用于与 NODE 有相同角色的每个节点，每个节点各自的变更分别检查、防锁死检查并确认。</translation>
    </message>
    <message>
        <source>fw apply: leave the change pending, to be confirmed with fw confirm after checking it; unconfirmed, the agent rolls it back.</source>
        <translation>fw apply：让变更保持待确认状态，检查后用 fw confirm 确认；未确认则由代理回滚。</translation>
    </message>
    <message>
        <source>deploy: the hadeck-agent .deb (default: the newest hadeck-agent_*.deb here or in the build&apos;s packages directory).</source>
        <translation>deploy：hadeck-agent 的 .deb（默认：当前目录或构建目录 packages 中最新的 hadeck-agent_*.deb）。</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>deploy: how to start the agent on the node, run as root (default: systemd, else start-stop-daemon; both only where policy-rc.d allows it).</source>
        <translation>deploy：在节点上启动代理的命令，以 root 运行（默认：systemd，否则 start-stop-daemon；两者都仅在 policy-rc.d 允许时）。</translation>
    </message>
    <message>
        <source>CMD</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>audit: only this user&apos;s entries.</source>
        <translation>audit：只显示此用户的记录。</translation>
    </message>
    <message>
        <source>%1: the checks across nodes ran without what it could not give (%2)</source>
        <translation>%1：跨节点检查在缺少它未能提供的内容的情况下运行（%2）</translation>
    </message>
    <message>
        <source>%1 on %2 already closed on the server</source>
        <translation>%2 上有 %1 个在服务器上已关闭</translation>
    </message>
    <message>
        <source>the cluster&apos;s changes as they happen: links, VRRP transitions, real servers, alarms (--json: one object a line)</source>
        <translation>实时显示集群的变化：连接、VRRP 状态切换、真实服务器、告警（--json：每行一个对象）</translation>
    </message>
    <message>
        <source>watch takes no arguments</source>
        <translation>watch 不接受参数</translation>
    </message>
    <message numerus="yes">
        <source>Watching %n node(s) of %1; Ctrl+C ends.</source>
        <translation>
            <numerusform>正在监视 %1 的 %n 个节点；按 Ctrl+C 结束。</numerusform>
        </translation>
    </message>
    <message>
        <source>edge %1 -&gt; %2:%3 (%4 connections, %5 closed in the last minute)</source>
        <translation>连接 %1 -&gt; %2:%3（%4 个连接，最近一分钟关闭 %5 个）</translation>
    </message>
    <message>
        <source>hadeckctl fw: no answer from %1 to the apply (%2): the change may be live
</source>
        <translation>hadeckctl fw：%1 未应答此次应用（%2）：变更可能已生效
</translation>
    </message>
    <message>
        <source>hadeckctl fw: cannot ask %1 over a new connection either (%2): if the change is live it may have cut this console off; unconfirmed, the agent rolls it back at its deadline (--confirm-within)
</source>
        <translation>hadeckctl fw：通过新连接也无法询问 %1（%2）：若变更已生效，它可能切断了本控制台；未确认时代理会在期限（--confirm-within）到达时回滚
</translation>
    </message>
    <message>
        <source>nothing is waiting for confirmation on %1: the change was not applied, or is rolled back already
</source>
        <translation>%1 上没有等待确认的变更：变更未被应用，或已被回滚
</translation>
    </message>
    <message>
        <source>%1: change %2 by %3 is live, rolled back at %4 unless confirmed: hadeckctl fw confirm %1 %2 keeps it, hadeckctl fw rollback %1 %2 ends it now
</source>
        <translation>%1：由 %3 做出的变更 %2 已生效，若未确认将在 %4 回滚：hadeckctl fw confirm %1 %2 保留它，hadeckctl fw rollback %1 %2 立即撤销它
</translation>
    </message>
    <message>
        <source>hadeckctl fw: no answer from %1 to the confirm of %2 (%3): it may have been kept
</source>
        <translation>hadeckctl fw：%1 未应答对 %2 的确认（%3）：确认可能已生效
</translation>
    </message>
    <message>
        <source>hadeckctl fw: cannot ask %1 over a new connection either (%2): hadeckctl fw pending %1 tells once it answers; unconfirmed, the agent rolls the change back at its deadline
</source>
        <translation>hadeckctl fw：通过新连接也无法询问 %1（%2）：待其应答后，hadeckctl fw pending %1 可告知结果；若未确认，代理会在截止时间回滚该变更
</translation>
    </message>
    <message>
        <source>%1: change %2 still waits for confirmation, rolled back at %3: hadeckctl fw confirm %1 %2 keeps it
</source>
        <translation>%1：变更 %2 仍在等待确认，将于 %3 回滚：hadeckctl fw confirm %1 %2 可保留它
</translation>
    </message>
    <message>
        <source>%1: change %2 no longer waits for confirmation: it was kept, or rolled back at its deadline (hadeckctl fw show %1 shows the rules in force)
</source>
        <translation>%1：变更 %2 已不再等待确认：它已被保留，或已在截止时间回滚（hadeckctl fw show %1 显示当前生效的规则）
</translation>
    </message>
    <message>
        <source>Also out of service on %1 (they share the track file): %2</source>
        <translation>%1 上同时停止服务（共用跟踪文件）：%2</translation>
    </message>
    <message>
        <source>Also back in service on %1 (they share the track file): %2</source>
        <translation>%1 上同时恢复服务（共用跟踪文件）：%2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>HaDeck console: the control room for LVS/keepalived clusters</source>
        <translation>HaDeck 控制台：LVS/keepalived 集群的控制室</translation>
    </message>
    <message>
        <source>Open the cluster inventory FILE at start.</source>
        <translation>启动时打开集群清单文件 FILE。</translation>
    </message>
    <message>
        <source>Save the main window to the PNG FILE, then exit.</source>
        <translation>将主窗口保存为 PNG 文件 FILE，然后退出。</translation>
    </message>
    <message>
        <source>Wait MS milliseconds before the screenshot.</source>
        <translation>截图前等待 MS 毫秒。</translation>
    </message>
    <message>
        <source>User-interface language: zh_CN or en.</source>
        <translation>界面语言：zh_CN 或 en。</translation>
    </message>
    <message>
        <source>Palette: system, light or dark.</source>
        <translation>配色：system、light 或 dark。</translation>
    </message>
    <message>
        <source>Cannot open the cluster</source>
        <translation>无法打开集群</translation>
    </message>
</context>
</TS>
