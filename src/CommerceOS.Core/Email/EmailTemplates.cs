using System.Net;
using CommerceOS.Core.Accounts;

namespace CommerceOS.Core.Email;

/// <summary>
/// Account e-mails in English and Simplified Chinese, chosen by the recipient's preferred language
/// (anything but "zh-CN" gets English). Each has a plain-text and an HTML body; values are
/// HTML-encoded in the HTML body. Links carry single-purpose tokens that expire after one hour.
/// </summary>
public static class EmailTemplates
{
    public static EmailMessage VerifyEmail(string to, string language, string displayName, string link) => Zh(language)
        ? Build(to, "请验证您的 CommerceOS 邮箱地址",
            $"{displayName},您好:", "请点击下面的链接验证您的邮箱地址并激活账号。链接 1 小时内有效。", link, "验证邮箱",
            "如果您没有注册 CommerceOS,请忽略此邮件。")
        : Build(to, "Verify your CommerceOS e-mail address",
            $"Hello {displayName},", "Please confirm your e-mail address to activate your account. The link is valid for 1 hour.", link, "Verify e-mail",
            "If you did not sign up for CommerceOS, you can ignore this message.");

    public static EmailMessage ResetPassword(string to, string language, string displayName, string link) => Zh(language)
        ? Build(to, "重置您的 CommerceOS 密码",
            $"{displayName},您好:", "我们收到了重置您密码的请求。请点击下面的链接设置新密码。链接 1 小时内有效,且只能使用一次。", link, "重置密码",
            "如果这不是您本人的操作,请忽略此邮件,您的密码不会改变。")
        : Build(to, "Reset your CommerceOS password",
            $"Hello {displayName},", "We received a request to reset your password. Use the link below to choose a new one. It is valid for 1 hour and works once.", link, "Reset password",
            "If you did not ask for this, ignore this message; your password stays the same.");

    public static EmailMessage ConfirmEmailChange(string to, string language, string displayName, string newEmail, string link) => Zh(language)
        ? Build(to, "确认您的 CommerceOS 新邮箱地址",
            $"{displayName},您好:", $"请点击下面的链接,将您账号的邮箱地址更改为 {newEmail}。链接 1 小时内有效。", link, "确认新邮箱",
            "如果这不是您本人的操作,请忽略此邮件,账号的邮箱地址不会改变。")
        : Build(to, "Confirm your new CommerceOS e-mail address",
            $"Hello {displayName},", $"Use the link below to change your account's e-mail address to {newEmail}. The link is valid for 1 hour.", link, "Confirm new e-mail",
            "If you did not ask for this, ignore this message; your e-mail address stays the same.");

    /// <summary>Sent to the old address after an e-mail change (ASVS 5.0 6.3.7: notify on credential changes).</summary>
    public static EmailMessage EmailChanged(string to, string language, string displayName, string newEmail, string supportLink) => Zh(language)
        ? Build(to, "您的 CommerceOS 邮箱地址已更改",
            $"{displayName},您好:", $"您账号的邮箱地址已更改为 {newEmail}。以后的邮件将发送到新地址。", supportLink, "打开 CommerceOS",
            "如果这不是您本人的操作,请立即联系 privacy@commerceos.ai。")
        : Build(to, "Your CommerceOS e-mail address was changed",
            $"Hello {displayName},", $"Your account's e-mail address was changed to {newEmail}. Future messages go to the new address.", supportLink, "Open CommerceOS",
            "If this wasn't you, contact privacy@commerceos.ai at once.");

    public static EmailMessage WorkspaceInvitation(string to, string language, string inviterName, string workspaceName, string link) => Zh(language)
        ? Build(to, $"{inviterName} 邀请您加入 CommerceOS 工作区「{workspaceName}」",
            "您好:", $"{inviterName} 邀请您加入 CommerceOS 工作区「{workspaceName}」。请点击下面的链接接受邀请。", link, "接受邀请",
            "如果您不认识邀请人,请忽略此邮件。")
        : Build(to, $"{inviterName} invited you to the CommerceOS workspace \"{workspaceName}\"",
            "Hello,", $"{inviterName} invited you to join the CommerceOS workspace \"{workspaceName}\". Use the link below to accept.", link, "Accept invitation",
            "If you don't know the sender, you can ignore this message.");

    /// <summary>
    /// Sent instead of an error when someone signs up with an address that already has an account,
    /// so the sign-up page never reveals which addresses are registered.
    /// </summary>
    public static EmailMessage DuplicateRegistration(string to, string language, string displayName, string resetLink) => Zh(language)
        ? Build(to, "有人尝试用您的邮箱注册 CommerceOS",
            $"{displayName},您好:", "有人刚刚尝试用此邮箱地址注册 CommerceOS 账号,但该地址已有账号。如果是您本人,请直接登录;如果忘记了密码,可以通过下面的链接重置。", resetLink, "重置密码",
            "如果这不是您本人的操作,请忽略此邮件,您的账号没有任何变化。")
        : Build(to, "Someone tried to sign up to CommerceOS with your address",
            $"Hello {displayName},", "Someone just tried to create a CommerceOS account with this e-mail address, which already has an account. If it was you, sign in instead; if you forgot your password, reset it with the link below.", resetLink, "Reset password",
            "If this wasn't you, ignore this message; nothing has changed on your account.");

    /// <summary>The notice of a material change of the privacy policy or the terms (policy section 10), with the summary in the recipient's language.</summary>
    public static EmailMessage LegalChange(string to, string language, string displayName, string document, string version, string summaryEnglish, string summaryChinese, string link)
    {
        var terms = document == LegalDocuments.Terms;
        return Zh(language)
            ? Build(to, $"我们更新了 CommerceOS {(terms ? "服务条款" : "隐私政策")}",
                $"{displayName},您好:", $"我们对{(terms ? "服务条款" : "隐私政策")}作出了重要更改(版本 {version})。更改摘要:{summaryChinese}", link, $"阅读新版{(terms ? "服务条款" : "隐私政策")}",
                "继续使用 CommerceOS 即表示您接受更新后的版本。下次登录时,您也可以在应用中确认已阅读。")
            : Build(to, $"We have updated the CommerceOS {(terms ? "Terms of Service" : "Privacy Policy")}",
                $"Hello {displayName},", $"We have made a material change to our {(terms ? "Terms of Service" : "Privacy Policy")} (version {version}). Summary of the changes: {summaryEnglish}", link, $"Read the new {(terms ? "Terms of Service" : "Privacy Policy")}",
                "Continuing to use CommerceOS means you accept the updated version. You can also confirm you have read it in the app the next time you sign in.");
    }

    /// <summary>A personal data export is ready (privacy policy section 6); the link works once, for the signed-in owner, until <paramref name="expiresAt"/> (UTC).</summary>
    public static EmailMessage DataExportReady(string to, string language, string displayName, string link, DateTime expiresAt) => Zh(language)
        ? Build(to, "您的 CommerceOS 数据副本已准备好",
            $"{displayName},您好:", $"您申请的个人数据副本(ZIP 文件)已准备好。请登录后通过下面的链接下载。链接只能使用一次,有效期至 {expiresAt:yyyy-MM-dd HH:mm} (UTC),之后文件将被删除。", link, "下载我的数据",
            "如果这不是您本人的申请,请立即修改密码并联系 privacy@commerceos.ai。")
        : Build(to, "Your CommerceOS data export is ready",
            $"Hello {displayName},", $"The copy of your personal data you asked for (a ZIP file) is ready. Sign in and download it with the link below. The link works once and until {expiresAt:yyyy-MM-dd HH:mm} UTC; then the file is deleted.", link, "Download my data",
            "If you did not ask for this, change your password at once and contact privacy@commerceos.ai.");

    private static bool Zh(string language) => string.Equals(language, SupportedLanguages.Chinese, StringComparison.Ordinal);

    private static EmailMessage Build(string to, string subject, string greeting, string body, string link, string action, string footer)
    {
        var text = $"{greeting}\n\n{body}\n\n{link}\n\n{footer}\n\n— CommerceOS\n";
        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family:system-ui,sans-serif;color:#111827;line-height:1.5">
            <p>{WebUtility.HtmlEncode(greeting)}</p>
            <p>{WebUtility.HtmlEncode(body)}</p>
            <p><a href="{WebUtility.HtmlEncode(link)}" style="background:#7C3AED;color:#fff;padding:10px 16px;border-radius:12px;text-decoration:none">{WebUtility.HtmlEncode(action)}</a></p>
            <p style="font-size:13px;color:#6b7280">{WebUtility.HtmlEncode(link)}</p>
            <p style="font-size:13px;color:#6b7280">{WebUtility.HtmlEncode(footer)}</p>
            <p>— CommerceOS</p>
            </body></html>
            """;
        return new EmailMessage(to, subject, text, html);
    }
}
