namespace CommerceOS.Core.Common;

/// <summary>The paging and search-length rules every list query shares, with the same field names and codes.</summary>
public static class Paging
{
    public static List<FieldError> Validate(int page, int pageSize, int maxPageSize, string? search, int maxSearchLength, string searchTooLongCode)
    {
        var errors = new List<FieldError>();
        if (page < 1)
        {
            errors.Add(new FieldError("page", CommonErrors.PageInvalid));
        }

        if (pageSize < 1 || pageSize > maxPageSize)
        {
            errors.Add(FieldError.Of("pageSize", CommonErrors.PageSizeInvalid, 1, maxPageSize));
        }

        if (search is not null && search.Length > maxSearchLength)
        {
            errors.Add(FieldError.Of("search", searchTooLongCode, maxSearchLength));
        }

        return errors;
    }
}
