namespace CommerceOS.Web.Features.Legal;

public static class LegalTexts
{
    private static readonly Lazy<LegalDocument> PrivacyDocument = new(() => LegalDocument.Load("privacy-policy.txt", "隐私政策"));
    private static readonly Lazy<LegalDocument> TermsDocument = new(() => LegalDocument.Load("terms-of-service.txt", "服务条款"));

    public static LegalDocument Privacy => PrivacyDocument.Value;

    public static LegalDocument Terms => TermsDocument.Value;
}
