#pragma once

// The Firewall tab's dialogs: the structured rule editor (with raw nft text for
// experts) and the change-set preview (nft's diff and the lockout lint's findings)
// that stands before every apply.

#include "firewall/rulewords.h"
#include "hadeck/console/firewall/lint.h"
#include "hadeck/protocol/firewall.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;
class QStackedWidget;

namespace hadeck::ui::fw {

class RuleEditorDialog final : public QDialog {
    Q_OBJECT
public:
    /// @p ruleset: the chains, rules (for the position) and named sets to offer.
    /// @p chainKey: "family/table/chain" to preselect.
    RuleEditorDialog(const proto::fw::Ruleset& ruleset, const QString& chainKey, QWidget* parent = nullptr);

    /// The change the fields describe (valid when accepted).
    [[nodiscard]] std::optional<proto::fw::Change> change(QString* error = nullptr) const;
    [[nodiscard]] RuleDraft draft() const;

    // For tests and keyboard users: the fields by name.
    QComboBox* protocolBox() const { return m_protocol; }
    QLineEdit* sourceEdit() const { return m_source; }
    QLineEdit* destinationEdit() const { return m_destination; }
    QLineEdit* destinationPortsEdit() const { return m_dports; }
    QComboBox* actionBox() const { return m_action; }
    QLineEdit* commentEdit() const { return m_comment; }
    QComboBox* chainBox() const { return m_chain; }
    QComboBox* positionBox() const { return m_position; }
    QCheckBox* rawBox() const { return m_raw; }
    QPlainTextEdit* rawEdit() const { return m_rawText; }

private:
    void refill();
    void update();

    proto::fw::Ruleset m_ruleset;
    QComboBox* m_chain = nullptr;
    QComboBox* m_position = nullptr;
    QComboBox* m_protocol = nullptr;
    QLineEdit* m_source = nullptr;
    QLineEdit* m_destination = nullptr;
    QLineEdit* m_sports = nullptr;
    QLineEdit* m_dports = nullptr;
    QLineEdit* m_iif = nullptr;
    QLineEdit* m_oif = nullptr;
    QCheckBox* m_ct[4] = {};
    QComboBox* m_action = nullptr;
    QLineEdit* m_logPrefix = nullptr;
    QLineEdit* m_comment = nullptr;
    QCheckBox* m_raw = nullptr;
    QStackedWidget* m_stack = nullptr;
    QPlainTextEdit* m_rawText = nullptr;
    QLabel* m_preview = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

class ChangePreviewDialog final : public QDialog {
    Q_OBJECT
public:
    /// @p findings: the lint on the would-be ruleset; @p noPreview: why there is none (the lint cannot judge).
    ChangePreviewDialog(const QString& node, const proto::fw::CheckResult& check,
                        const std::vector<console::fw::Finding>& findings, QWidget* parent = nullptr);

    [[nodiscard]] int confirmWithin() const;
    [[nodiscard]] bool forced() const;
    [[nodiscard]] bool blocked() const { return m_blocked; }

    QListWidget* findingsList() const { return m_findings; }
    QPlainTextEdit* diffView() const { return m_diff; }
    QCheckBox* forceBox() const { return m_force; }
    QSpinBox* confirmBox() const { return m_seconds; }
    QDialogButtonBox* buttons() const { return m_buttons; }

    /// One finding explained: what is blocked, why the cluster needs it, which rule does it.
    static QString explain(const console::fw::Finding& f);

private:
    bool m_blocked = false;
    QPlainTextEdit* m_diff = nullptr;
    QListWidget* m_findings = nullptr;
    QCheckBox* m_force = nullptr;
    QSpinBox* m_seconds = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

/// Chain policy: accept or drop for a base chain (the change is previewed like any other).
class ChainPolicyDialog final : public QDialog {
    Q_OBJECT
public:
    ChainPolicyDialog(const proto::fw::Chain& chain, QWidget* parent = nullptr);
    [[nodiscard]] proto::fw::Change change() const;
    QComboBox* policyBox() const { return m_policy; }
    QDialogButtonBox* buttons() const { return m_buttons; }

private:
    proto::fw::Chain m_chain;
    QComboBox* m_policy = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

/// A named set's elements: new ones to add, listed ones checked to delete.
class SetElementsDialog final : public QDialog {
    Q_OBJECT
public:
    SetElementsDialog(const proto::fw::NamedSet& set, QWidget* parent = nullptr);
    /// Additions first, then deletions; empty when nothing is asked.
    [[nodiscard]] std::vector<proto::fw::Change> changes(QString* error = nullptr) const;
    QLineEdit* addEdit() const { return m_add; }
    QListWidget* elementsList() const { return m_elements; }
    QDialogButtonBox* buttons() const { return m_buttons; }

private:
    void update();

    proto::fw::NamedSet m_set;
    QLineEdit* m_add = nullptr;
    QListWidget* m_elements = nullptr;
    QLabel* m_preview = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace hadeck::ui::fw
