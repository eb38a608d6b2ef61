// @LockOrderCheck failed the test that closed the cycle (audit), in surefire, with the findings as the message.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 2, Failures: 1')
assert log =~ /Failed to execute goal org\.apache\.maven\.plugins:maven-surefire-plugin:[^ ]+:test/
def report = new File(basedir, 'target/surefire-reports/com.example.bank.CheckedBankTest.txt').text
assert report.contains('lockdep4j: audit() introduced 1 lock-order hazard')
assert report.contains('possible circular locking dependency detected: com.example.bank.Bank.accountsLock -> com.example.bank.Bank.ledgerLock')
assert report.contains('com.example.bank.CheckedBankTest.audit(CheckedBankTest.java:')
['org.junit.', 'jdk.internal.reflect.', 'java.lang.reflect.', 'org.apache.maven.surefire.', 'rule lock-order-cycle:'].each {
    assert !report.contains(it) : "no $it in the failure: $report"
}
assert !log.contains('Corrupted channel')
return true
