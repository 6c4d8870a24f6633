<?php
// The lab's application page: names the real server, writes to the database master,
// reads from the replica, and stores an upload on the shared MooseFS file system.
header('Content-Type: text/plain');
$server = gethostname();
$ok = true;
$out = "server=$server\n";
mysqli_report(MYSQLI_REPORT_OFF);
$upload = sprintf('/srv/mfs/uploads/%s-%d-%s.txt', $server, getmypid(), bin2hex(random_bytes(4)));
if (@file_put_contents($upload, "uploaded by $server at " . date('c') . "\n") === false) {
    $ok = false;
    $out .= "upload=FAILED $upload\n";
} else {
    $out .= "upload=ok $upload\n";
}
$master = @mysqli_connect(getenv('LAB_DB_MASTER'), 'web', 'web-lab', 'gaokao', 3306);
if ($master && mysqli_query($master, sprintf("INSERT INTO hits (server, upload) VALUES ('%s', '%s')",
        mysqli_real_escape_string($master, $server), mysqli_real_escape_string($master, $upload)))) {
    $out .= "db_write=ok id=" . mysqli_insert_id($master) . " master=" . getenv('LAB_DB_MASTER') . "\n";
} else {
    $ok = false;
    $out .= "db_write=FAILED " . ($master ? mysqli_error($master) : mysqli_connect_error()) . "\n";
}
$replica = @mysqli_connect(getenv('LAB_DB_REPLICA'), 'web', 'web-lab', 'gaokao', 3306);
$res = $replica ? mysqli_query($replica, "SELECT COUNT(*) FROM hits") : false;
if ($res) {
    $out .= "db_read=ok rows=" . mysqli_fetch_row($res)[0] . " replica=" . getenv('LAB_DB_REPLICA') . "\n";
} else {
    $ok = false;
    $out .= "db_read=FAILED " . ($replica ? mysqli_error($replica) : mysqli_connect_error()) . "\n";
}
http_response_code($ok ? 200 : 500);
echo $out;
