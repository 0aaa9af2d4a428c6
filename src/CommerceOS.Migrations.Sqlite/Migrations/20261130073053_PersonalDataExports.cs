using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommerceOS.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PersonalDataExports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PersonalDataExports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    JobId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    BlobKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ByteSize = table.Column<long>(type: "INTEGER", nullable: false),
                    FileCount = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadyAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NotifiedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DownloadedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PurgedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonalDataExports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PersonalDataExports_ExpiresAt",
                table: "PersonalDataExports",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_PersonalDataExports_TokenHash",
                table: "PersonalDataExports",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PersonalDataExports_UserId_RequestedAt",
                table: "PersonalDataExports",
                columns: new[] { "UserId", "RequestedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PersonalDataExports");
        }
    }
}
