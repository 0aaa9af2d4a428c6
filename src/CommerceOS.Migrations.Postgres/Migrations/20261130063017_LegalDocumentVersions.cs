using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommerceOS.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LegalDocumentVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LegalDocumentVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Document = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Version = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    TextEnglish = table.Column<string>(type: "character varying(200000)", maxLength: 200000, nullable: false),
                    TextChinese = table.Column<string>(type: "character varying(200000)", maxLength: 200000, nullable: false),
                    MaterialChange = table.Column<bool>(type: "boolean", nullable: false),
                    SummaryEnglish = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    SummaryChinese = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    PublishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PublishedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    NoticesCompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NoticeLeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NoticeLeaseOwner = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalDocumentVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegalNotices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    VersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClaimedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LegalNotices_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_LegalNotices_LegalDocumentVersions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "LegalDocumentVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LegalDocumentVersions_Document_PublishedAt",
                table: "LegalDocumentVersions",
                columns: new[] { "Document", "PublishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LegalDocumentVersions_Document_Version",
                table: "LegalDocumentVersions",
                columns: new[] { "Document", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LegalNotices_UserId",
                table: "LegalNotices",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_LegalNotices_VersionId_SentAt",
                table: "LegalNotices",
                columns: new[] { "VersionId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LegalNotices_VersionId_UserId",
                table: "LegalNotices",
                columns: new[] { "VersionId", "UserId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LegalNotices");

            migrationBuilder.DropTable(
                name: "LegalDocumentVersions");
        }
    }
}
