#include "firewall/firewalldialogs.h"
#include "style/plaintext.h"
#include "hadeck/console/firewall/linttext.h"

#include <QCheckBox>
#include <QStyle>

#include <algorithm>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace hadeck::ui::fw {

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }
QString chainKey(const proto::fw::Chain& c) { return q(c.family + "/" + c.table + "/" + c.name); }
} // namespace

RuleEditorDialog::RuleEditorDialog(const proto::fw::Ruleset& ruleset, const QString& key, QWidget* parent)
    : QDialog(parent), m_ruleset(ruleset)
{
    setWindowTitle(tr("Add a firewall rule"));
    setObjectName(QStringLiteral("firewallRuleEditor"));
    auto* layout = new QVBoxLayout(this);
    auto* where = new QFormLayout;
    m_chain = new QComboBox(this);
    for (const auto& c : m_ruleset.chains) {
        const auto t = std::find_if(m_ruleset.tables.begin(), m_ruleset.tables.end(), [&](const auto& tb) {
            return tb.family == c.family && tb.name == c.table;
        });
        if (t != m_ruleset.tables.end() && t->iptablesNft) {
            continue; // iptables-nft's tables are edited with iptables
        }
        m_chain->addItem(QStringLiteral("%1 %2 %3").arg(q(c.family), q(c.table), q(c.name)), chainKey(c));
    }
    if (const int i = m_chain->findData(key); i >= 0) {
        m_chain->setCurrentIndex(i);
    }
    m_position = new QComboBox(this);
    where->addRow(tr("Chain:"), m_chain);
    where->addRow(tr("Position:"), m_position);
    layout->addLayout(where);

    m_raw = new QCheckBox(tr("Expert: write the rule as nft text"), this);
    layout->addWidget(m_raw);
    m_stack = new QStackedWidget(this);
    auto* fields = new QWidget(m_stack);
    auto* form = new QFormLayout(fields);
    form->setContentsMargins(0, 0, 0, 0);
    m_protocol = new QComboBox(fields);
    m_protocol->addItem(tr("any"), QString());
    for (const char* p : {"tcp", "udp", "icmp", "icmpv6"}) {
        m_protocol->addItem(QString::fromLatin1(p), QString::fromLatin1(p));
    }
    QStringList sets;
    for (const auto& s : m_ruleset.sets) {
        if (!s.isMap) {
            sets << QLatin1Char('@') + q(s.name);
        }
    }
    const QString setHint = sets.isEmpty() ? QString() : tr(" Named sets: %1").arg(sets.join(QStringLiteral(", ")));
    m_source = new QLineEdit(fields);
    m_source->setPlaceholderText(tr("any (address, prefix such as 198.18.1.0/24, or @set)"));
    m_source->setToolTip(setHint);
    m_destination = new QLineEdit(fields);
    m_destination->setPlaceholderText(m_source->placeholderText());
    m_destination->setToolTip(setHint);
    m_sports = new QLineEdit(fields);
    m_sports->setPlaceholderText(tr("any (22, 80,443, 8000-8080 or @set)"));
    m_dports = new QLineEdit(fields);
    m_dports->setPlaceholderText(m_sports->placeholderText());
    m_iif = new QLineEdit(fields);
    m_iif->setPlaceholderText(tr("any interface"));
    m_oif = new QLineEdit(fields);
    m_oif->setPlaceholderText(tr("any interface"));
    auto* ct = new QHBoxLayout;
    const char* states[] = {"new", "established", "related", "invalid"};
    for (int i = 0; i < 4; ++i) {
        m_ct[i] = new QCheckBox(QString::fromLatin1(states[i]), fields);
        ct->addWidget(m_ct[i]);
    }
    ct->addStretch(1);
    m_action = new QComboBox(fields);
    m_action->addItem(tr("accept"), QStringLiteral("accept"));
    m_action->addItem(tr("drop"), QStringLiteral("drop"));
    m_action->addItem(tr("reject"), QStringLiteral("reject"));
    m_action->addItem(tr("log (and go on)"), QStringLiteral("log"));
    m_action->addItem(tr("count only (and go on)"), QStringLiteral("counter"));
    m_logPrefix = new QLineEdit(fields);
    m_logPrefix->setPlaceholderText(tr("log prefix (optional)"));
    m_comment = new QLineEdit(fields);
    form->addRow(tr("Protocol:"), m_protocol);
    form->addRow(tr("Source:"), m_source);
    form->addRow(tr("Source ports:"), m_sports);
    form->addRow(tr("Destination:"), m_destination);
    form->addRow(tr("Destination ports:"), m_dports);
    form->addRow(tr("In interface:"), m_iif);
    form->addRow(tr("Out interface:"), m_oif);
    form->addRow(tr("Connection state:"), ct);
    form->addRow(tr("Action:"), m_action);
    form->addRow(tr("Log prefix:"), m_logPrefix);
    form->addRow(tr("Comment:"), m_comment);
    m_stack->addWidget(fields);
    m_rawText = new QPlainTextEdit(m_stack);
    m_rawText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rawText->setPlaceholderText(tr("an nft rule, e.g. tcp dport 8443 ct state new counter accept"));
    m_stack->addWidget(m_rawText);
    layout->addWidget(m_stack);

    m_preview = new QLabel(this);
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setObjectName(QStringLiteral("rulePreview"));
    layout->addWidget(m_preview);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Check the change…"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_chain, &QComboBox::currentIndexChanged, this, [this] { refill(); });
    connect(m_raw, &QCheckBox::toggled, this, [this](bool raw) {
        if (raw && m_rawText->toPlainText().isEmpty()) {
            m_rawText->setPlainText(draftToNft(draft(), nullptr));
        }
        m_stack->setCurrentIndex(raw ? 1 : 0);
        update();
    });
    for (auto* e : {m_source, m_destination, m_sports, m_dports, m_iif, m_oif, m_logPrefix, m_comment}) {
        connect(e, &QLineEdit::textChanged, this, [this] { update(); });
    }
    for (auto* b : m_ct) {
        connect(b, &QCheckBox::toggled, this, [this] { update(); });
    }
    connect(m_protocol, &QComboBox::currentIndexChanged, this, [this] { update(); });
    connect(m_action, &QComboBox::currentIndexChanged, this, [this] { update(); });
    connect(m_rawText, &QPlainTextEdit::textChanged, this, [this] { update(); });
    refill();
}

void RuleEditorDialog::refill()
{
    m_position->clear();
    m_position->addItem(tr("at the end of the chain"), QStringLiteral("end"));
    m_position->addItem(tr("at the start of the chain"), QStringLiteral("start"));
    const QString key = m_chain->currentData().toString();
    for (const auto& c : m_ruleset.chains) {
        if (chainKey(c) != key) {
            continue;
        }
        for (const auto* r : m_ruleset.rulesOf(c)) {
            const QString text = q(r->text).left(60);
            m_position->addItem(tr("before #%1: %2").arg(r->handle).arg(text), QStringLiteral("before:%1").arg(r->handle));
            m_position->addItem(tr("after #%1: %2").arg(r->handle).arg(text), QStringLiteral("after:%1").arg(r->handle));
        }
    }
    update();
}

RuleDraft RuleEditorDialog::draft() const
{
    RuleDraft d;
    d.family = m_chain->currentData().toString().section(QLatin1Char('/'), 0, 0);
    d.protocol = m_protocol->currentData().toString();
    d.source = m_source->text().trimmed();
    d.destination = m_destination->text().trimmed();
    d.sourcePorts = m_sports->text().trimmed();
    d.destinationPorts = m_dports->text().trimmed();
    d.inInterface = m_iif->text().trimmed();
    d.outInterface = m_oif->text().trimmed();
    for (auto* b : m_ct) {
        if (b->isChecked()) {
            d.ctStates << b->text();
        }
    }
    d.action = m_action->currentData().toString();
    d.logPrefix = m_logPrefix->text().trimmed();
    d.comment = m_comment->text().trimmed();
    return d;
}

std::optional<proto::fw::Change> RuleEditorDialog::change(QString* error) const
{
    const QStringList key = m_chain->currentData().toString().split(QLatin1Char('/'));
    if (key.size() != 3) {
        if (error) {
            *error = tr("this ruleset has no chain to add a rule to");
        }
        return std::nullopt;
    }
    QString why;
    const QString text = m_raw->isChecked() ? m_rawText->toPlainText().simplified() : draftToNft(draft(), &why);
    if (text.isEmpty()) {
        if (error) {
            *error = why.isEmpty() ? tr("the rule is empty") : why;
        }
        return std::nullopt;
    }
    proto::fw::Change c;
    const QString pos = m_position->currentData().toString();
    c.op = pos.startsWith(QLatin1String("before")) || pos == QLatin1String("start") ? proto::fw::ChangeOp::InsertRule
                                                                                    : proto::fw::ChangeOp::AddRule;
    c.position = pos.contains(QLatin1Char(':')) ? pos.section(QLatin1Char(':'), 1).toULongLong() : 0;
    c.family = key[0].toStdString();
    c.table = key[1].toStdString();
    c.chain = key[2].toStdString();
    c.rule = text.toStdString();
    return c;
}

void RuleEditorDialog::update()
{
    m_logPrefix->setEnabled(m_action->currentData().toString() == QLatin1String("log"));
    QString error;
    const auto c = change(&error);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(c.has_value());
    if (!c) {
        m_preview->setText(tr("Not yet a rule: %1").arg(error));
        return;
    }
    proto::fw::ChangeSet cs;
    cs.changes.push_back(*c);
    const auto script = proto::fw::toNftScript(cs);
    m_preview->setText(script ? tr("nft: %1").arg(QString::fromStdString(*script).trimmed())
                              : tr("Not yet a rule: %1").arg(QString::fromStdString(script.error().message)));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(bool(script));
}

// --- Preview ---

QString ChangePreviewDialog::explain(const console::fw::Finding& f)
{
    using console::fw::NeedKind;
    QString what;
    switch (f.need.kind) {
    case NeedKind::SshFromConsole: what = tr("SSH from this console"); break;
    case NeedKind::Vrrp: what = tr("VRRP between the directors"); break;
    case NeedKind::VirtualService: what = tr("clients to a virtual service on the director"); break;
    case NeedKind::VipOnRealServer: what = tr("clients to the VIP on this real server (LVS-DR)"); break;
    case NeedKind::HealthCheck: what = tr("keepalived's health check from a director"); break;
    case NeedKind::MariaDb: what = tr("MariaDB (3306)"); break;
    case NeedKind::MooseFs: what = tr("MooseFS (9419–9422)"); break;
    case NeedKind::GatewayForward: what = tr("clients through the gateway to a VIP"); break;
    }
    const auto& d = f.decision;
    const QString head = d.verdict == console::fw::Verdict::Drop ? tr("Blocked: %1").arg(what)
                                                                 : tr("Cannot judge: %1").arg(what);
    QString cause;
    if (d.handle != 0) {
        // All arguments at once: a chain name holding "%4" must not be filled in again.
        cause = tr("Caused by rule %1 %2 %3 #%4: %5")
                    .arg(q(d.family), q(d.table), q(d.chain), QString::number(d.handle), q(d.ruleText));
    } else if (!d.chain.empty()) {
        cause = tr("Caused by the policy of chain %1 %2 %3 (%4)")
                    .arg(q(d.family), q(d.table), q(d.chain), console::fw::reasonText(d.why));
    } else {
        cause = console::fw::reasonText(d.why);
    }
    if (d.verdict == console::fw::Verdict::CannotJudge && d.handle != 0) {
        cause += QLatin1Char('\n') + tr("The lint cannot read: %1").arg(console::fw::reasonText(d.why));
    }
    return head + QLatin1Char('\n') +
           tr("Packet: %1 (%2)").arg(console::fw::packetText(f.need.packet), console::fw::needText(f.need)) +
           QLatin1Char('\n') + cause;
}

ChangePreviewDialog::ChangePreviewDialog(const QString& node, const proto::fw::CheckResult& check,
                                         const std::vector<console::fw::Finding>& findings, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("firewallPreview"));
    setWindowTitle(tr("Firewall change on %1").arg(node));
    resize(760, 560);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("What changes in the ruleset (nft's own listing, + added, - removed):"), this));
    m_diff = new QPlainTextEdit(this);
    m_diff->setReadOnly(true);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    QString diff;
    for (const auto& l : check.diff) {
        diff += q(l) + QLatin1Char('\n');
    }
    m_diff->setPlainText(diff.isEmpty() ? tr("(the listing does not change)") : diff);
    layout->addWidget(m_diff, 1);

    auto* lintLabel = new QLabel(this);
    lintLabel->setWordWrap(true);
    m_findings = new QListWidget(this);
    m_findings->setWordWrap(true);
    m_findings->setObjectName(QStringLiteral("lintFindings"));
    for (const auto& f : findings) {
        auto* item = new QListWidgetItem(style()->standardIcon(QStyle::SP_MessageBoxWarning), explain(f), m_findings);
        item->setToolTip(plainToolTip(q(f.text())));
    }
    if (!check.after) {
        new QListWidgetItem(style()->standardIcon(QStyle::SP_MessageBoxWarning),
                            tr("No preview of the new ruleset (%1): the lockout lint cannot judge it.").arg(q(check.previewError)),
                            m_findings);
    }
    m_blocked = m_findings->count() > 0;
    lintLabel->setText(m_blocked ? tr("The lockout lint found %n packet(s) the cluster needs that this change would block or that it cannot judge:",
                                      nullptr, m_findings->count())
                                 : tr("The lockout lint: nothing the cluster needs is blocked."));
    layout->addWidget(lintLabel);
    layout->addWidget(m_findings, 1);
    m_findings->setVisible(m_blocked);

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Roll back unless confirmed within"), this));
    m_seconds = new QSpinBox(this);
    m_seconds->setRange(proto::fw::kConfirmMin, proto::fw::kConfirmMax);
    m_seconds->setValue(proto::fw::kConfirmDefault);
    m_seconds->setSuffix(tr(" s"));
    row->addWidget(m_seconds);
    row->addStretch(1);
    m_force = new QCheckBox(tr("Apply anyway (recorded in the audit log)"), this);
    m_force->setVisible(m_blocked);
    row->addWidget(m_force);
    layout->addLayout(row);
    auto* note = new QLabel(tr("The console confirms the change over a new connection; if that cannot get in, the agent restores "
                               "the current ruleset by itself at the deadline."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(note);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Apply"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_blocked);
    connect(m_force, &QCheckBox::toggled, this,
            [this](bool on) { m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_blocked || on); });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
}

int ChangePreviewDialog::confirmWithin() const { return m_seconds->value(); }
bool ChangePreviewDialog::forced() const { return m_blocked && m_force->isChecked(); }

} // namespace hadeck::ui::fw

namespace hadeck::ui::fw {

// --- Chain policy ---

ChainPolicyDialog::ChainPolicyDialog(const proto::fw::Chain& chain, QWidget* parent) : QDialog(parent), m_chain(chain)
{
    setObjectName(QStringLiteral("firewallChainPolicy"));
    setWindowTitle(tr("Policy of chain %1").arg(q(chain.name)));
    auto* layout = new QVBoxLayout(this);
    auto* text = new QLabel(tr("What chain %1 %2 %3 (hook %4) does with a packet that no rule decided:")
                                .arg(q(chain.family), q(chain.table), q(chain.name), q(chain.hook)),
                            this);
    text->setTextFormat(Qt::PlainText);
    text->setWordWrap(true);
    layout->addWidget(text);
    m_policy = new QComboBox(this);
    m_policy->addItem(tr("accept"), QStringLiteral("accept"));
    m_policy->addItem(tr("drop"), QStringLiteral("drop"));
    m_policy->setCurrentIndex(
        std::max(0, m_policy->findData(chain.policy.empty() ? QStringLiteral("accept") : q(chain.policy))));
    layout->addWidget(m_policy);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Check the change…"));
    const auto same = [this] {
        const QString now = m_chain.policy.empty() ? QStringLiteral("accept") : q(m_chain.policy);
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_policy->currentData().toString() != now);
    };
    connect(m_policy, &QComboBox::currentIndexChanged, this, same);
    same();
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
}

proto::fw::Change ChainPolicyDialog::change() const
{
    proto::fw::Change c;
    c.op = proto::fw::ChangeOp::SetPolicy;
    c.family = m_chain.family;
    c.table = m_chain.table;
    c.chain = m_chain.name;
    c.policy = m_policy->currentData().toString().toStdString();
    return c;
}

// --- Set elements ---

SetElementsDialog::SetElementsDialog(const proto::fw::NamedSet& set, QWidget* parent) : QDialog(parent), m_set(set)
{
    setObjectName(QStringLiteral("firewallSetElements"));
    setWindowTitle(tr("Elements of %1 %2").arg(set.isMap ? tr("map") : tr("set"), q(set.name)));
    resize(560, 460);
    auto* layout = new QVBoxLayout(this);
    auto* head = new QLabel(tr("%1 %2 %3, type %4").arg(q(set.family), q(set.table), q(set.name), q(set.type)), this);
    head->setTextFormat(Qt::PlainText);
    layout->addWidget(head);
    layout->addWidget(new QLabel(tr("Add (comma-separated, e.g. 198.18.1.5, 198.18.2.0/24):"), this));
    m_add = new QLineEdit(this);
    m_add->setObjectName(QStringLiteral("setAddElements"));
    layout->addWidget(m_add);
    layout->addWidget(new QLabel(tr("Check the elements to delete:"), this));
    m_elements = new QListWidget(this);
    m_elements->setObjectName(QStringLiteral("setElements"));
    for (const auto& e : set.elementTexts) {
        auto* item = new QListWidgetItem(q(e), m_elements);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    layout->addWidget(m_elements, 1);
    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("setPreview"));
    m_preview->setTextFormat(Qt::PlainText);
    m_preview->setWordWrap(true);
    layout->addWidget(m_preview);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Check the change…"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_add, &QLineEdit::textChanged, this, [this] { update(); });
    connect(m_elements, &QListWidget::itemChanged, this, [this] { update(); });
    update();
}

std::vector<proto::fw::Change> SetElementsDialog::changes(QString* error) const
{
    std::vector<proto::fw::Change> out;
    proto::fw::Change add;
    add.op = proto::fw::ChangeOp::AddElements;
    add.family = m_set.family;
    add.table = m_set.table;
    add.set = m_set.name;
    for (const auto& e : m_add->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!e.trimmed().isEmpty()) {
            add.elements.push_back(e.trimmed().toStdString());
        }
    }
    proto::fw::Change del = add;
    del.op = proto::fw::ChangeOp::DeleteElements;
    del.elements.clear();
    for (int i = 0; i < m_elements->count(); ++i) {
        if (m_elements->item(i)->checkState() == Qt::Checked) {
            del.elements.push_back(m_elements->item(i)->text().toStdString());
        }
    }
    for (auto* c : {&add, &del}) {
        if (!c->elements.empty()) {
            out.push_back(*c);
        }
    }
    if (out.empty() && error != nullptr) {
        *error = tr("nothing to add or delete");
    }
    return out;
}

void SetElementsDialog::update()
{
    QString error;
    proto::fw::ChangeSet cs;
    cs.changes = changes(&error);
    if (cs.changes.empty()) {
        m_preview->setText(error);
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
        return;
    }
    const auto script = proto::fw::toNftScript(cs);
    m_preview->setText(script ? tr("nft: %1").arg(q(*script).trimmed())
                              : tr("Not yet a change: %1").arg(q(script.error().message)));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(bool(script));
}

} // namespace hadeck::ui::fw
